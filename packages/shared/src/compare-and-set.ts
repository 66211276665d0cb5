import { backOff } from 'exponential-backoff';
import type { Counter } from 'prom-client';
import { unavailable } from './errors';

/**
 * The platform's one policy for a lost compare-and-set. Each loss is another
 * writer's win, so 50 attempts let 50 writers racing on one document all
 * land; the full-jitter pause, doubling from 2 ms up to 100 ms, spreads the
 * writers that lost together (each attempt costs a database write, and the
 * local database serializes writes).
 */
export const COMPARE_AND_SET_POLICY = { attempts: 50, firstDelayMs: 2, maxDelayMs: 100 } as const;

export type CompareAndSetPolicy = { readonly [K in keyof typeof COMPARE_AND_SET_POLICY]: number };

/** One read-change-write: the result, or `undefined` when another writer moved the version first. */
export type CompareAndSetAttempt<T> = (round: number) => Promise<T | undefined>;

class LostRace extends Error {}

/** Runs compare-and-set attempts under the policy, counting every retry by operation. */
export class CompareAndSet {
  constructor(
    private readonly retries?: Counter<'operation'>,
    private readonly policy: CompareAndSetPolicy = COMPARE_AND_SET_POLICY,
  ) {}

  /**
   * Repeats `attempt` until it lands. Errors it throws end the loop as they
   * are; losing every round is `unavailable` (503: try again later).
   */
  async untilWritten<T>(operation: string, attempt: CompareAndSetAttempt<T>): Promise<T> {
    let round = 0;
    try {
      return await backOff(
        async () => {
          const result = await attempt(++round);
          if (result === undefined) throw new LostRace();
          return result;
        },
        {
          numOfAttempts: this.policy.attempts,
          startingDelay: this.policy.firstDelayMs,
          timeMultiple: 2,
          maxDelay: this.policy.maxDelayMs,
          jitter: 'full',
          // Called after the last attempt too (`attemptsMade` is then the limit), which is no retry.
          retry: (error: unknown, attemptsMade: number) => {
            if (!(error instanceof LostRace)) return false;
            if (attemptsMade < this.policy.attempts) this.retries?.inc({ operation });
            return true;
          },
        },
      );
    } catch (error) {
      if (error instanceof LostRace) throw unavailable(`the ${operation} is changing too often to apply this change; try again`);
      throw error;
    }
  }
}
