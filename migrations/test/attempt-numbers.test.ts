// Legacy attempts copied after the new system numbered its own: by time among both, conflicts when a place is taken.
import { ObjectId } from 'mongodb';
import { numberByTime } from '../src/structured/attempts';

const at = (minute: number, n?: number) => ({
  _id: new ObjectId(minute.toString(16).padStart(24, '0')),
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)),
  ...(n === undefined ? {} : { attemptNumber: n }),
});

test('a first copy gets places 1..n by time, whatever order the attempts come in', () => {
  const numbered = numberByTime([], [at(3), at(1), at(2)]);
  expect(numbered.map(({ row, attemptNumber }) => [(row.createdAt as Date).getUTCMinutes(), attemptNumber])).toEqual([
    [1, 1],
    [2, 2],
    [3, 3],
  ]);
  expect(numbered.some((n) => n.outOfOrder)).toBe(false);
});

test('legacy attempts take the places the new system left free for them, before and between its own', () => {
  // The new system numbered its attempts at minutes 2 and 4 as 2 and 4: the monolith's at 1 and 3 were there first.
  const numbered = numberByTime([at(2, 2), at(4, 4)], [at(3), at(1)]);
  expect(numbered.map((n) => n.attemptNumber)).toEqual([1, 3]);
  expect(numbered.some((n) => n.outOfOrder)).toBe(false);
});

test("a place already taken (the new system's attempt 1, the monolith's earlier attempt not visible yet) is a conflict: next free number", () => {
  const [numbered] = numberByTime([at(2, 1)], [at(1)]);
  expect(numbered).toMatchObject({ attemptNumber: 2, outOfOrder: true });
});
