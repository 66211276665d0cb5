/**
 * What every AttemptStore promises, as the use cases rely on it: run against
 * the in-memory fake the use-case tests use (store/attempt-store.test.ts) and
 * against the MongoDB adapter on the local database
 * (store/attempt-store.int.test.ts), so that the fake cannot promise what the
 * adapter does not do.
 */
import { ObjectId } from 'mongodb';
import type { AttemptRecord } from '../../src/domain';
import type { AttemptStore } from '../../src/store/attempts';

/** Ids in creation order, as ObjectIds are: the order lists are sorted by. */
const newId = () => new ObjectId().toHexString();

function attempt(of: { quizId: string; courseId: string; userId: string }, attemptNumber: number, gems = 0): AttemptRecord {
  return {
    id: newId(),
    ...of,
    attemptNumber,
    answers: [{ questionId: newId(), selected: [1] }],
    score: 1,
    maxScore: 2,
    passed: false,
    timeTakenMs: 1_234,
    createdAt: new Date('2026-12-07T10:00:00.000Z'),
    ...(gems > 0 ? { grant: { key: `quiz:${of.quizId}:user:${of.userId}`, amount: gems, status: 'pending' as const, tries: 0 } } : {}),
  };
}

export function attemptStoreContract(open: () => Promise<AttemptStore> | AttemptStore): void {
  let store: AttemptStore;
  let at: { quizId: string; courseId: string; userId: string };
  beforeEach(async () => {
    store = await open();
    at = { quizId: newId(), courseId: newId(), userId: newId() };
  });

  test('an attempt is read back by id as it was written', async () => {
    const first = attempt(at, 1, 5);
    expect(await store.insert(first, undefined)).toBe(true);
    expect(await store.byId(first.id)).toEqual(first);
    expect(await store.byId(newId())).toBeUndefined();
  });

  test('a second attempt with the same quiz, user and number is refused, as is a request key already recorded; the first stays', async () => {
    const first = attempt(at, 1);
    expect(await store.insert(first, 'request-1')).toBe(true);
    expect(await store.insert(attempt(at, 1), undefined)).toBe(false);
    expect(await store.insert(attempt(at, 2), 'request-1')).toBe(false);
    expect(await store.insert(attempt({ ...at, userId: newId() }, 1), undefined)).toBe(true);
    expect(await store.byRequestKey('request-1')).toEqual(first);
    expect(await store.numbersOf(at.quizId, at.userId)).toEqual([{ id: first.id, attemptNumber: 1 }]);
  });

  test('attempts without a request key do not collide on it', async () => {
    expect(await store.insert(attempt(at, 1), undefined)).toBe(true);
    expect(await store.insert(attempt(at, 2), undefined)).toBe(true);
  });

  test("numbersOf: the user's attempts at that quiz only", async () => {
    const mine = [attempt(at, 1), attempt(at, 2)];
    for (const one of [...mine, attempt({ ...at, quizId: newId() }, 1), attempt({ ...at, userId: newId() }, 3)])
      await store.insert(one, undefined);
    const numbers = await store.numbersOf(at.quizId, at.userId);
    expect([...numbers].sort((a, b) => a.attemptNumber - b.attemptNumber)).toEqual(
      mine.map(({ id, attemptNumber }) => ({ id, attemptNumber })),
    );
  });

  test("list: a user's attempts at a quiz or at a course, oldest first, after the cursor, at most one more than the page", async () => {
    const otherQuiz = { ...at, quizId: newId() };
    const rows = [attempt(at, 1), attempt(otherQuiz, 1), attempt(at, 2), attempt(otherQuiz, 2), attempt({ ...at, userId: newId() }, 1)];
    for (const row of rows) await store.insert(row, undefined);
    const ids = (list: AttemptRecord[]) => list.map((row) => row.id);

    expect(ids(await store.list({ userId: at.userId, quizId: at.quizId }, undefined, 10))).toEqual([rows[0]!.id, rows[2]!.id]);
    expect(ids(await store.list({ userId: at.userId, courseId: at.courseId }, undefined, 10))).toEqual(ids(rows.slice(0, 4)));
    expect(ids(await store.list({ userId: at.userId, courseId: at.courseId }, undefined, 2))).toEqual(ids(rows.slice(0, 3)));
    expect(ids(await store.list({ userId: at.userId, courseId: at.courseId }, rows[1]!.id, 10))).toEqual(ids(rows.slice(2, 4)));
  });

  test("inCourse: every attempt of the user at the course's quizzes", async () => {
    const rows = [attempt(at, 1), attempt({ ...at, quizId: newId() }, 1)];
    for (const row of [...rows, attempt({ ...at, courseId: newId() }, 1)]) await store.insert(row, undefined);
    expect((await store.inCourse(at.userId, at.courseId)).map((row) => row.id).sort()).toEqual(rows.map((row) => row.id).sort());
  });

  test('a grant owed is swept until it is marked delivered, which counts once', async () => {
    const owing = attempt(at, 1, 7);
    await store.insert(owing, undefined);
    await store.insert(attempt(at, 2), undefined);
    const owed = (await store.pendingGrants()).filter((grant) => grant.userId === at.userId);
    expect(owed).toEqual([
      { attemptId: owing.id, quizId: at.quizId, userId: at.userId, key: owing.grant!.key, amount: 7, createdAt: owing.createdAt },
    ]);

    const deliveredAt = new Date('2026-12-07T10:00:05.000Z');
    expect(await store.markDelivered(owing.id, deliveredAt, 2)).toBe(true);
    expect(await store.markDelivered(owing.id, deliveredAt, 3)).toBe(false);
    expect((await store.pendingGrants()).filter((grant) => grant.userId === at.userId)).toEqual([]);
    expect((await store.byId(owing.id))?.grant).toEqual({ ...owing.grant, status: 'delivered', deliveredAt, tries: 2 });
  });
}
