import { freePorts } from '../src/free-port';

// A port handed out is released at once and bound later by a process still
// starting: a second draw in that time must not hand it out again. With 400
// ports drawn twice from the 12,768 available, unclaimed draws would share
// about twelve.
test('ports handed out are not handed out again while their process starts', async () => {
  const first = await freePorts(400);
  const second = await freePorts(400);

  expect(new Set(first).size).toBe(400);
  expect(second.filter((port) => first.includes(port))).toEqual([]);
});
