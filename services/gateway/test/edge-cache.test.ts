import { EdgeCache, type EdgeEntry } from '../src/http/edge-cache';

/** A view of `tags` saying `text`, as a route would answer it. */
const view = (text: string, tags: string[]): Omit<EdgeEntry, 'storedAt'> => ({
  status: 200,
  headers: {},
  etag: '"1"',
  body: Buffer.from(text),
  route: '/test',
  tags,
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

function cache(maxAgeMs = 1_000) {
  let now = 0;
  const edge = new EdgeCache({ maxAgeMs, maxBytes: 1_000_000, now: () => now });
  return { edge, advance: (ms: number) => (now += ms) };
}

const text = (entry: EdgeEntry | undefined) => entry?.body.toString();

test('a view is read once, served until it is maxAgeMs old, then read again', async () => {
  const { edge, advance } = cache();
  let reads = 0;
  const read = async () => view(`read ${++reads}`, ['course-a']);
  expect(text(await edge.view('k', read))).toBe('read 1');
  advance(999);
  expect(text(await edge.view('k', read))).toBe('read 1');
  advance(1);
  expect(edge.fresh('k')).toBeUndefined();
  expect(text(await edge.view('k', read))).toBe('read 2');
});

test('requests arriving during a read share it', async () => {
  const { edge } = cache();
  const answer = deferred<Omit<EdgeEntry, 'storedAt'>>();
  let reads = 0;
  const read = () => {
    reads += 1;
    return answer.promise;
  };
  const all = Promise.all([edge.view('k', read), edge.view('k', read), edge.view('k', read)]);
  answer.resolve(view('shared', []));
  expect((await all).map(text)).toEqual(['shared', 'shared', 'shared']);
  expect(reads).toBe(1);
});

test('an invalidation drops the views of its tags, and of the courses of the quizzes among them, and no others', async () => {
  const { edge } = cache();
  await edge.view('course a', async () => view('a', ['a']));
  await edge.view('quiz q of a', async () => view('q', ['q', 'a']));
  await edge.view('course b', async () => view('b', ['b']));
  edge.invalidate(['q']);
  expect([edge.fresh('course a'), edge.fresh('quiz q of a'), text(edge.fresh('course b'))]).toEqual([undefined, undefined, 'b']);
});

test('a read begun before an invalidation of its tags is answered but not kept, and later requests read anew', async () => {
  const { edge } = cache();
  const before = deferred<Omit<EdgeEntry, 'storedAt'>>();
  const reading = edge.view('quiz', () => before.promise);
  // The course of the quiz is only known once read: its invalidation counts too.
  edge.invalidate(['a']);
  const after = edge.view('quiz', async () => view('after', ['q', 'a']));
  before.resolve(view('before', ['q', 'a']));
  expect(text(await reading)).toBe('before');
  expect(text(await after)).toBe('after');
  expect(text(edge.fresh('quiz'))).toBe('after');

  const other = deferred<Omit<EdgeEntry, 'storedAt'>>();
  const unrelated = edge.view('course b', () => other.promise);
  edge.invalidate(['a']);
  other.resolve(view('b', ['b']));
  await unrelated;
  expect(text(edge.fresh('course b'))).toBe('b');
});

test('the views kept never take more than maxBytes: the least recently served go first', async () => {
  const edge = new EdgeCache({ maxAgeMs: 60_000, maxBytes: 3 * (1_024 + 1_000) });
  const large = (name: string) => async () => view(name.padEnd(1_000, '.'), []);
  for (const name of ['a', 'b', 'c']) await edge.view(name, large(name));
  expect(edge.fresh('a')).toBeDefined();
  await edge.view('d', large('d'));
  expect(['a', 'b', 'c', 'd'].filter((name) => edge.fresh(name) !== undefined)).toEqual(['a', 'c', 'd']);
});
