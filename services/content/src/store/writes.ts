import { setTimeout as sleep } from 'node:timers/promises';
import { unavailable } from '@testmancer/shared';

/**
 * Each lost compare-and-set is another writer's win, so 50 attempts let 50
 * writers racing on one document all land.
 */
const MAX_ATTEMPTS = 50;

/**
 * Runs `attempt` (read, change, compare-and-set) until it lands; `undefined`
 * means another writer moved the version first, so it reads again. A random
 * pause, wider after each loss, spreads the writers that lost together:
 * every attempt costs a write on the database, which serializes them.
 */
export async function untilWritten<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
  for (let round = 1; round <= MAX_ATTEMPTS; round++) {
    const result = await attempt();
    if (result !== undefined) return result;
    await sleep(Math.random() * 10 * Math.min(round, 10));
  }
  throw unavailable(`the ${what} is changing too often to apply this change; try again`);
}
