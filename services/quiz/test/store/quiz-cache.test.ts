import { createQuiz, type QuizState } from '../../src/domain';
import { CachedQuizStore } from '../../src/store/quiz-cache';
import type { QuizFilter, QuizStore } from '../../src/store/quizzes';
import { courseWith, idSequence, newQuiz, oid } from '../domain/helpers';

/** Quizzes in memory, counting the reads that reach it; `hold` makes the next read wait until released. */
class MemoryQuizzes implements QuizStore {
  readonly quizzes = new Map<string, QuizState>();
  reads = 0;
  private held: Promise<void> | undefined;

  hold(): () => void {
    let release!: () => void;
    this.held = new Promise((resolve) => (release = resolve));
    return release;
  }

  private async read<T>(answer: () => T): Promise<T> {
    this.reads += 1;
    const snapshot = answer();
    const held = this.held;
    this.held = undefined;
    await held;
    return snapshot;
  }

  get(id: string) {
    return this.read(() => this.quizzes.get(id));
  }
  list(filter: QuizFilter, after: string | undefined) {
    return this.read(() =>
      [...this.quizzes.values()]
        .filter((quiz) => quiz.courseId === filter.courseId && (!after || quiz.id > after))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  }
  insert(quiz: QuizState) {
    this.quizzes.set(quiz.id, quiz);
    return Promise.resolve();
  }
  replace(quiz: QuizState, fromVersion: number) {
    const current = this.quizzes.get(quiz.id)?.version === fromVersion;
    if (current) this.quizzes.set(quiz.id, quiz);
    return Promise.resolve(current);
  }
  delete(id: string) {
    return Promise.resolve(this.quizzes.delete(id));
  }
}

const course = courseWith([2, 2]);
const unit1 = course.units[0]!.id;
const unit2 = course.units[1]!.id;
const quizAfter = (unitId: string, id: number) => createQuiz(course, newQuiz({ id: oid(id), unitId }), idSequence());

function setUp(ttlMs = 60_000) {
  const store = new MemoryQuizzes();
  // Not at 0: lru-cache reads a start time of 0 as "no expiry".
  const clock = { ms: 1_000, now: () => clock.ms };
  return { store, clock, cache: new CachedQuizStore(store, { ttlMs, maxEntries: 100, clock }) };
}

test('repeated reads of a quiz and of a course’s quizzes reach the store once', async () => {
  const { store, cache } = setUp();
  await cache.insert(quizAfter(unit1, 0x501));
  await cache.insert(quizAfter(unit2, 0x502));
  for (let i = 0; i < 5; i += 1) {
    expect((await cache.get(oid(0x501)))?.unitId).toBe(unit1);
    expect((await cache.list({ courseId: course.id }, undefined)).map((quiz) => quiz.id)).toEqual([oid(0x501), oid(0x502)]);
  }
  expect(store.reads).toBe(2);
});

test('filters on unit, trigger and cursor are applied to the cached list as the store would', async () => {
  const { cache } = setUp();
  for (const [unitId, id] of [
    [unit1, 0x501],
    [unit2, 0x502],
    [unit1, 0x503],
  ] as const)
    await cache.insert(quizAfter(unitId, id));
  expect((await cache.list({ courseId: course.id, unitId: unit1 }, undefined)).map((quiz) => quiz.id)).toEqual([oid(0x501), oid(0x503)]);
  expect((await cache.list({ courseId: course.id, trigger: 'page' }, undefined)).map((quiz) => quiz.id)).toEqual([]);
  expect((await cache.list({ courseId: course.id }, oid(0x501))).map((quiz) => quiz.id)).toEqual([oid(0x502), oid(0x503)]);
});

test('a write through the cache is read back at once: insert, replace, delete', async () => {
  const { cache } = setUp();
  const quiz = quizAfter(unit1, 0x501);
  await cache.insert(quiz);
  expect(await cache.list({ courseId: course.id }, undefined)).toHaveLength(1);
  await cache.insert(quizAfter(unit2, 0x502));
  expect(await cache.list({ courseId: course.id }, undefined)).toHaveLength(2);

  expect((await cache.get(quiz.id))?.title).toBe(quiz.title);
  expect(await cache.replace({ ...quiz, title: 'Renamed', version: quiz.version + 1 }, quiz.version)).toBe(true);
  expect((await cache.get(quiz.id))?.title).toBe('Renamed');
  expect((await cache.list({ courseId: course.id }, undefined))[0]?.title).toBe('Renamed');

  expect(await cache.delete(quiz.id, quiz.version + 1)).toBe(true);
  expect(await cache.get(quiz.id)).toBeUndefined();
  expect((await cache.list({ courseId: course.id }, undefined)).map((q) => q.id)).toEqual([oid(0x502)]);
});

test('a read that a write overtakes answers what the store holds after the write', async () => {
  const { store, cache } = setUp();
  const quiz = quizAfter(unit1, 0x501);
  await cache.insert(quiz);
  const release = store.hold();
  const slowRead = cache.get(quiz.id); // reads the old title, then waits
  await cache.replace({ ...quiz, title: 'Renamed', version: quiz.version + 1 }, quiz.version);
  release();
  expect((await slowRead)?.title).toBe('Renamed');
  expect((await cache.get(quiz.id))?.title).toBe('Renamed');
});

test('a change made elsewhere (another replica, the migration) is seen once the entry has lived ttlMs', async () => {
  const { store, cache, clock } = setUp(30);
  const quiz = quizAfter(unit1, 0x501);
  await cache.insert(quiz);
  expect(await cache.list({ courseId: course.id }, undefined)).toHaveLength(1);
  store.quizzes.set(oid(0x502), quizAfter(unit2, 0x502));
  clock.ms += 30; // as old as ttlMs, not older: still served
  expect(await cache.list({ courseId: course.id }, undefined)).toHaveLength(1);
  clock.ms += 1;
  expect(await cache.list({ courseId: course.id }, undefined)).toHaveLength(2);
});
