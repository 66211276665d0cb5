import { WriteQueue, type ReleaseSlot, type WriteClaim } from '../src/write-queue';

const on = (namespace: string, connections = 1): WriteClaim => ({ namespace, connections });
const onDocument = (namespace: string, document: string): WriteClaim => ({ namespace, document, connections: 1 });
const everything: WriteClaim = { namespace: undefined, connections: 1 };

/** Acquires in order and records which claims have been granted, by label. */
function harness(budget = 10) {
  const queue = new WriteQueue(budget);
  const granted: string[] = [];
  const releases = new Map<string, ReleaseSlot>();
  const tickets = new Map<string, { cancel(): void }>();
  const acquire = (label: string, claim: WriteClaim) => {
    const ticket = queue.acquire(claim);
    tickets.set(label, ticket);
    void ticket.granted.then((release) => {
      granted.push(label);
      releases.set(label, release);
    });
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const release = async (label: string) => {
    releases.get(label)!();
    await settle();
  };
  return { queue, granted, acquire, release, settle, cancel: (label: string) => tickets.get(label)!.cancel() };
}

test('writes to one collection go one at a time, in order; other collections do not wait for them', async () => {
  const h = harness();
  h.acquire('a1', on('db.a'));
  h.acquire('a2', on('db.a'));
  h.acquire('b1', on('db.b'));
  await h.settle();
  expect(h.granted).toEqual(['a1', 'b1']);
  expect(h.queue.waiting).toBe(1);
  await h.release('a1');
  expect(h.granted).toEqual(['a1', 'b1', 'a2']);
});

test('a claim on everything waits for every write, and holds back the ones after it', async () => {
  const h = harness();
  h.acquire('a1', on('db.a'));
  h.acquire('all', everything);
  h.acquire('b1', on('db.b'));
  await h.settle();
  expect(h.granted).toEqual(['a1']);
  await h.release('a1');
  expect(h.granted).toEqual(['a1', 'all']);
  await h.release('all');
  expect(h.granted).toEqual(['a1', 'all', 'b1']);
});

test('the writes in flight never hold more connections than the budget; a large claim is not overtaken', async () => {
  const h = harness(10);
  h.acquire('small', on('db.a', 4));
  h.acquire('large', on('db.b', 8));
  h.acquire('later', on('db.c', 3));
  await h.settle();
  expect(h.granted).toEqual(['small']);
  await h.release('small');
  expect(h.granted).toEqual(['small', 'large']);
  await h.release('large');
  expect(h.granted).toEqual(['small', 'large', 'later']);
});

test('a cancelled claim leaves the queue and lets the ones it held back go', async () => {
  const h = harness(10);
  h.acquire('first', on('db.a', 6));
  h.acquire('large', on('db.b', 6));
  h.acquire('small', on('db.c', 1));
  await h.settle();
  h.cancel('large');
  await h.settle();
  expect(h.granted).toEqual(['first', 'small']);
  expect(h.queue.waiting).toBe(0);
});

test('releasing twice gives the turn away once', async () => {
  const h = harness();
  h.acquire('a1', on('db.a'));
  h.acquire('a2', on('db.a'));
  h.acquire('a3', on('db.a'));
  await h.settle();
  await h.release('a1');
  await h.release('a1');
  expect(h.granted).toEqual(['a1', 'a2']);
  expect(h.queue.held).toBe(true);
});

test('writes confined to different documents of one collection overlap; those to one document go in order', async () => {
  const h = harness();
  h.acquire('x1', onDocument('db.a', 'x'));
  h.acquire('y1', onDocument('db.a', 'y'));
  h.acquire('x2', onDocument('db.a', 'x'));
  h.acquire('z1', onDocument('db.a', 'z'));
  await h.settle();
  expect(h.granted).toEqual(['x1', 'y1', 'z1']);
  await h.release('x1');
  expect(h.granted).toEqual(['x1', 'y1', 'z1', 'x2']);
});

test('a write that may touch any document waits for those under way, and the later ones on its collection wait for it', async () => {
  const h = harness();
  h.acquire('x1', onDocument('db.a', 'x'));
  h.acquire('many', on('db.a'));
  h.acquire('y1', onDocument('db.a', 'y'));
  h.acquire('b1', onDocument('db.b', 'y'));
  await h.settle();
  expect(h.granted).toEqual(['x1', 'b1']);
  await h.release('x1');
  expect(h.granted).toEqual(['x1', 'b1', 'many']);
  await h.release('many');
  expect(h.granted).toEqual(['x1', 'b1', 'many', 'y1']);
});
