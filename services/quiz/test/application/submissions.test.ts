import { CompareAndSet } from '@testmancer/shared';
import { Submissions } from '../../src/application/submissions';
import { numberedAttempt, scoreAttempt, type AttemptRecord, type UnnumberedAttempt } from '../../src/domain';
import { oid, quizOf, single } from '../domain/helpers';
import type { LegacyAttempts } from '../../src/store/legacy-attempts';
import { MemoryAttemptStore } from '../fakes/memory-attempts';

const quiz = quizOf({ gemReward: 10, questions: [single(1, { id: oid(1) })] });
let ids = 0;
const submit = (userId: string): UnnumberedAttempt => ({
  id: oid(0x100000 + ids++),
  quizId: quiz.id,
  courseId: quiz.courseId,
  userId,
  score: scoreAttempt(quiz.questions, [{ questionId: oid(1), selected: [1] }]),
  gemReward: quiz.gemReward,
  timeTakenMs: 1000,
  createdAt: new Date(0),
});

const USER = oid(0x5e);
const numbersOf = (attempts: AttemptRecord[]) => attempts.map((a) => a.attemptNumber).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('Submissions.record', () => {
  it('numbers 200 concurrent submits of one user 1..200, exactly one of them first and owing gems', async () => {
    const store = new MemoryAttemptStore();
    const submissions = new Submissions(store, new CompareAndSet());
    const recorded = await Promise.all(Array.from({ length: 200 }, () => submissions.record(submit(USER), '')));
    expect(numbersOf(recorded.map((r) => r.attempt))).toEqual(range(200));
    expect(store.of(USER).filter((a) => a.grant)).toHaveLength(1);
    expect(store.of(USER).find((a) => a.attemptNumber === 1)?.grant).toMatchObject({ amount: 10, status: 'pending' });
    // In one process the submits take turns: no insert is refused, nothing is read back.
    expect(store.numberReads).toBe(0);
  });

  it('keeps exactly one first attempt when several processes submit at once', async () => {
    const store = new MemoryAttemptStore();
    const replicas = [
      new Submissions(store, new CompareAndSet()),
      new Submissions(store, new CompareAndSet()),
      new Submissions(store, new CompareAndSet()),
    ];
    await Promise.all(Array.from({ length: 60 }, (_, i) => replicas[i % 3]!.record(submit(USER), '')));
    expect(numbersOf(store.of(USER))).toEqual(range(60));
    expect(store.of(USER).filter((a) => a.grant)).toHaveLength(1);
  });

  it('answers a repeated request id with the attempt recorded first, concurrently or later, in any process', async () => {
    const store = new MemoryAttemptStore();
    const here = new Submissions(store, new CompareAndSet());
    const results = await Promise.all(Array.from({ length: 20 }, () => here.record(submit(USER), 'req-1')));
    expect(store.of(USER)).toHaveLength(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.attempt.id)).size).toBe(1);

    const elsewhere = new Submissions(store, new CompareAndSet());
    const again = await elsewhere.record(submit(USER), 'req-1');
    expect(again).toMatchObject({ replayed: true, attempt: { id: results[0]!.attempt.id, attemptNumber: 1 } });
    expect((await elsewhere.record(submit(USER), 'req-2')).attempt.attemptNumber).toBe(2);
  });

  it('numbers after migrated attempts and owes nothing for them, with one read of the last number', async () => {
    const store = new MemoryAttemptStore();
    for (const n of [1, 2, 3]) store.rows.push({ attempt: { ...numberedAttempt(submit(USER), n), grant: undefined } });
    const submissions = new Submissions(store, new CompareAndSet());
    const next = await submissions.record(submit(USER), '');
    expect(next.attempt).toMatchObject({ attemptNumber: 4 });
    expect(next.attempt.grant).toBeUndefined();
    expect((await submissions.record(submit(USER), '')).attempt.attemptNumber).toBe(5);
    expect(store.numberReads).toBe(1);
  });

  describe('with the bridge to the legacy attempts', () => {
    const legacyOf = (ids: string[]): LegacyAttempts => ({ idsOf: () => Promise.resolve(ids) });

    it('a user who attempted the quiz in the monolith gets no first attempt, before or after the migration copies it', async () => {
      const legacyId = oid(0x7001);
      const beforeCopy = new MemoryAttemptStore();
      const first = await new Submissions(beforeCopy, new CompareAndSet(), legacyOf([legacyId])).record(submit(USER), '');
      expect(first.attempt).toMatchObject({ attemptNumber: 2 });
      expect(first.attempt.grant).toBeUndefined();

      const afterCopy = new MemoryAttemptStore();
      afterCopy.rows.push({ attempt: { ...numberedAttempt({ ...submit(USER), id: legacyId }, 1), grant: undefined } });
      const next = await new Submissions(afterCopy, new CompareAndSet(), legacyOf([legacyId])).record(submit(USER), '');
      expect(next.attempt).toMatchObject({ attemptNumber: 2 });
      expect(next.attempt.grant).toBeUndefined();
    });

    it("leaves the places of legacy attempts not copied yet free, and counts ones made after the user's new attempts", async () => {
      const store = new MemoryAttemptStore();
      const legacy = [oid(0x7001)];
      const submissions = new Submissions(store, new CompareAndSet(), legacyOf(legacy));
      expect((await submissions.record(submit(USER), '')).attempt.attemptNumber).toBe(2);
      // The monolith records another one (after the new attempt, in time): the next new one is 4, not 3.
      legacy.push(oid(0x7002));
      expect((await submissions.record(submit(USER), '')).attempt.attemptNumber).toBe(4);
      expect(store.of(USER).filter((a) => a.grant)).toHaveLength(0);
    });

    it('a user with no legacy attempt still earns the first attempt, with no read of the attempts', async () => {
      const store = new MemoryAttemptStore();
      const first = await new Submissions(store, new CompareAndSet(), legacyOf([])).record(submit(USER), '');
      expect(first.attempt).toMatchObject({ attemptNumber: 1, grant: { amount: 10 } });
      expect(store.numberReads).toBe(0);
    });
  });

  it('keeps users apart', async () => {
    const store = new MemoryAttemptStore();
    const submissions = new Submissions(store, new CompareAndSet());
    await Promise.all([USER, oid(0x5f), USER, oid(0x5f)].map((u) => submissions.record(submit(u), '')));
    expect(numbersOf(store.of(USER))).toEqual([1, 2]);
    expect(numbersOf(store.of(oid(0x5f)))).toEqual([1, 2]);
  });
});
