import { createLogger, createMetrics } from '@testmancer/shared';
import { setTimeout as delay } from 'node:timers/promises';
import { GrantDispatcher } from '../../src/application/grants';
import { createQuizMetrics } from '../../src/metrics';
import type { PendingGrant } from '../../src/store/attempts';
import { oid } from '../domain/helpers';

const grant = (n: number, createdAt = new Date(Date.now() - 60_000)): PendingGrant => ({
  attemptId: oid(n),
  quizId: oid(0x500),
  userId: oid(0x5e + n),
  key: `quiz:${oid(0x500)}:user:${oid(0x5e + n)}`,
  amount: 5,
  createdAt,
});

/** The gems service as the dispatcher sees it: each grant fails `failures` times, then lands. */
class FlakyDelivery {
  readonly tries = new Map<string, number>();
  readonly delivered: string[] = [];

  constructor(private readonly failures: number) {}

  deliver(g: PendingGrant, _timeoutMs: number, _failedTries: number): Promise<boolean> {
    const tries = (this.tries.get(g.attemptId) ?? 0) + 1;
    this.tries.set(g.attemptId, tries);
    const delivered = tries > this.failures;
    if (delivered) this.delivered.push(g.attemptId);
    return Promise.resolve(delivered);
  }
}

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await delay(5);
  }
}

function setup(failures: number, pending: () => PendingGrant[] = () => [], sweepIntervalMs = 60_000) {
  const delivery = new FlakyDelivery(failures);
  const metrics = createQuizMetrics(createMetrics('quiz-test'));
  const store = { pendingGrants: () => Promise.resolve(pending()) };
  const dispatcher = new GrantDispatcher(delivery, store, metrics, createLogger('quiz-test', 'silent'), 5, sweepIntervalMs);
  return { delivery, metrics, dispatcher };
}

describe('GrantDispatcher', () => {
  it('delivers the grants its start-up sweep finds, each once', async () => {
    const { delivery, metrics, dispatcher } = setup(0, () => [grant(1), grant(2), grant(3)]);
    dispatcher.start();
    await until(() => delivery.delivered.length === 3);
    await delay(30);
    await dispatcher.stop();
    expect(delivery.delivered.sort()).toEqual([oid(1), oid(2), oid(3)]);
    expect((await metrics.grantsPending.get()).values[0]?.value).toBe(0);
  });

  it('retries a grant a submit could not deliver until it lands, then stops', async () => {
    const { delivery, dispatcher } = setup(3);
    dispatcher.start();
    dispatcher.retryLater(grant(7));
    await until(() => delivery.delivered.length === 1);
    await delay(100);
    await dispatcher.stop();
    expect(delivery.tries.get(oid(7))).toBe(4);
    expect(delivery.delivered).toEqual([oid(7)]);
  });

  it("leaves a grant recorded since it started, and younger than the grace, to that submit's own delivery", async () => {
    const { delivery, dispatcher } = setup(0, () => [grant(4, new Date(Date.now() + 1))], 10);
    dispatcher.start();
    await delay(100);
    await dispatcher.stop();
    expect(delivery.delivered).toEqual([]);
  });

  it('delivers nothing once stopped', async () => {
    const { delivery, dispatcher } = setup(0);
    dispatcher.start();
    await dispatcher.stop();
    dispatcher.retryLater(grant(8));
    await delay(50);
    expect(delivery.delivered).toEqual([]);
  });
});
