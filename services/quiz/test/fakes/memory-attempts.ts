import type { AttemptRecord } from '../../src/domain';
import { owedBy } from '../../src/application/grants';
import type { AttemptFilter, AttemptStore, NumberedId, PendingGrant } from '../../src/store/attempts';
import { someTurns } from '@testmancer/testing';

/**
 * The attempts collection in memory with MongoDB's guarantees: each call is
 * one atomic single-document operation, and its two unique indexes hold
 * ((quizId, userId, attemptNumber) and the sparse requestKey). Each call
 * yields to the event loop first, so that concurrent submits interleave.
 */
export class MemoryAttemptStore implements AttemptStore {
  readonly rows: { attempt: AttemptRecord; requestKey?: string }[] = [];
  numberReads = 0;

  async insert(attempt: AttemptRecord, requestKey: string | undefined): Promise<boolean> {
    await someTurns();
    const taken = this.rows.some(
      (r) =>
        (r.attempt.quizId === attempt.quizId && r.attempt.userId === attempt.userId && r.attempt.attemptNumber === attempt.attemptNumber) ||
        (requestKey !== undefined && r.requestKey === requestKey),
    );
    if (taken) return false;
    this.rows.push({ attempt, ...(requestKey ? { requestKey } : {}) });
    return true;
  }

  async byId(id: string): Promise<AttemptRecord | undefined> {
    await someTurns();
    return this.rows.find((r) => r.attempt.id === id)?.attempt;
  }

  async byRequestKey(requestKey: string): Promise<AttemptRecord | undefined> {
    await someTurns();
    return this.rows.find((r) => r.requestKey === requestKey)?.attempt;
  }

  async numbersOf(quizId: string, userId: string): Promise<NumberedId[]> {
    await someTurns();
    this.numberReads += 1;
    return this.rows
      .filter((r) => r.attempt.quizId === quizId && r.attempt.userId === userId)
      .map(({ attempt }) => ({ id: attempt.id, attemptNumber: attempt.attemptNumber }));
  }

  async list(filter: AttemptFilter, after: string | undefined, size: number): Promise<AttemptRecord[]> {
    await someTurns();
    return this.rows
      .map((r) => r.attempt)
      .filter(
        (a) =>
          a.userId === filter.userId &&
          (!filter.quizId || a.quizId === filter.quizId) &&
          (!filter.courseId || a.courseId === filter.courseId),
      )
      .filter((a) => after === undefined || a.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, size + 1);
  }

  async inCourse(userId: string, courseId: string): Promise<AttemptRecord[]> {
    await someTurns();
    return this.rows.map((r) => r.attempt).filter((a) => a.userId === userId && a.courseId === courseId);
  }

  async pendingGrants(): Promise<PendingGrant[]> {
    await someTurns();
    return this.rows.flatMap((r) => (r.attempt.grant?.status === 'pending' ? [owedBy(r.attempt)!] : []));
  }

  async markDelivered(attemptId: string, deliveredAt: Date, failedTries: number): Promise<boolean> {
    await someTurns();
    const row = this.rows.find((r) => r.attempt.id === attemptId);
    if (row?.attempt.grant?.status !== 'pending') return false;
    row.attempt = { ...row.attempt, grant: { ...row.attempt.grant, status: 'delivered', deliveredAt, tries: failedTries } };
    return true;
  }

  of(userId: string): AttemptRecord[] {
    return this.rows.map((r) => r.attempt).filter((a) => a.userId === userId);
  }
}
