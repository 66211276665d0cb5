/**
 * Recording attempts with their numbers.
 *
 * The unique index on (quizId, userId, attemptNumber) is what makes exactly
 * one attempt 1 (the first attempt, which owes the gems) whatever the
 * concurrency, across processes: an insert of a number already taken is
 * refused, and the submit tries the next free number.
 *
 * Finding that number is the expensive part on the local FerretDB, where a
 * filter on quizId + userId scans the whole attempts collection (measured:
 * about 1 s for 5,000 attempts). So:
 * - this process remembers the last number it saw per (quiz, user), and runs
 *   the submits of one (quiz, user) one after another, so that 200
 *   concurrent submits cost 200 inserts rather than some 20,000 refused ones;
 * - a first submit is an insert of number 1 with no read of `attempts`;
 *   they are read (`numbersOf`) only after a refused insert: after a restart,
 *   for migrated attempts (numbered 1..k, so a legacy user's next attempt is
 *   k+1 and owes nothing), or when another replica recorded one meanwhile.
 * - while both shapes live (the bridge, docs/live-migration.md), every
 *   submit also reads the user's legacy attempts at the quiz: one the
 *   monolith recorded and the migration has not copied yet counts as well,
 *   so a user who attempted the quiz in the monolith is never paid again.
 *
 * A submit repeating (quiz, user, request id) answers the attempt recorded
 * first: remembered here, and after a refused insert looked up by its unique
 * request key.
 */
import { KeyedQueue, type CompareAndSet } from '@testmancer/shared';
import { LRUCache } from 'lru-cache';
import { nextAttemptNumber, numberedAttempt, type AttemptRecord, type UnnumberedAttempt } from '../domain';
import { requestKeyOf, type AttemptStore } from '../store/attempts';
import type { LegacyAttempts } from '../store/legacy-attempts';

/** What numbering needs of the attempts store. */
export type AttemptLog = Pick<AttemptStore, 'insert' | 'byId' | 'byRequestKey' | 'numbersOf'>;

interface Known {
  last: number;
  /** request id → attempt id */
  requests: Map<string, string>;
}

export interface Recorded {
  attempt: AttemptRecord;
  /** The request id had been recorded: this is the earlier attempt, nothing new was written. */
  replayed: boolean;
}

export class Submissions {
  private readonly queue = new KeyedQueue();
  private readonly known: LRUCache<string, Known>;

  constructor(
    private readonly store: AttemptLog,
    private readonly compareAndSet: CompareAndSet,
    /** The bridge while both shapes live; undefined once it is switched off. */
    private readonly legacy?: LegacyAttempts,
    capacity = 50_000,
  ) {
    this.known = new LRUCache({ max: capacity });
  }

  record(attempt: UnnumberedAttempt, requestId: string): Promise<Recorded> {
    const key = `${attempt.quizId}:${attempt.userId}`;
    return this.queue.run(key, () => this.recordInTurn(key, attempt, requestId));
  }

  private async recordInTurn(key: string, attempt: UnnumberedAttempt, requestId: string): Promise<Recorded> {
    const known = this.known.get(key) ?? { last: 0, requests: new Map<string, string>() };
    const earlierId = requestId ? known.requests.get(requestId) : undefined;
    const earlier = earlierId ? await this.store.byId(earlierId) : undefined;
    if (earlier) return { attempt: earlier, replayed: true };

    const requestKey = requestId ? requestKeyOf(attempt.quizId, attempt.userId, requestId) : undefined;
    // Taking a number is a compare-and-set on the unique index: a refused insert means another
    // process took it, so the next round (after the shared policy's backoff) reads where the count is.
    return this.compareAndSet.untilWritten('attempt number', async (round) => {
      const attemptNumber = await this.nextNumber(attempt, known.last, round);
      const numbered = numberedAttempt(attempt, attemptNumber);
      if (await this.store.insert(numbered, requestKey)) {
        this.remember(key, known, numbered, requestId);
        return { attempt: numbered, replayed: false };
      }
      const recorded = requestKey ? await this.store.byRequestKey(requestKey) : undefined;
      if (!recorded) return undefined;
      this.remember(key, known, recorded, requestId);
      return { attempt: recorded, replayed: true };
    });
  }

  /** What the next insert tries: from memory on a first round with no legacy attempt, else after what is stored. */
  private async nextNumber(attempt: UnnumberedAttempt, knownLast: number, round: number): Promise<number> {
    const legacyIds = this.legacy ? await this.legacy.idsOf(attempt.quizId, attempt.userId) : [];
    if (round === 1 && legacyIds.length === 0) return knownLast + 1;
    return nextAttemptNumber(await this.store.numbersOf(attempt.quizId, attempt.userId), legacyIds);
  }

  private remember(key: string, known: Known, attempt: AttemptRecord, requestId: string): void {
    known.last = Math.max(known.last, attempt.attemptNumber);
    if (requestId) known.requests.set(requestId, attempt.id);
    this.known.set(key, known);
  }
}
