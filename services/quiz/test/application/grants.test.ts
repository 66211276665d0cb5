import { createLogger, createMetrics } from '@testmancer/shared';
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

function setup(failures: number, pending: () => PendingGrant[] = () => [], sweepIntervalMs = 60_000) {
  const delivery = new FlakyDelivery(failures);
  const metrics = createQuizMetrics(createMetrics('quiz-test'));
  const sweeps = { count: 0 };
  // As the attempts store: a delivered grant is marked, and no sweep finds it again.
  const store = {
    pendingGrants: () => {
      sweeps.count += 1;
      return Promise.resolve(pending().filter((owed) => !delivery.delivered.includes(owed.attemptId)));
    },
  };
  const dispatcher = new GrantDispatcher(delivery, store, metrics, createLogger('quiz-test', 'silent'), 5, sweepIntervalMs);
  return { delivery, metrics, dispatcher, sweeps };
}

// The dispatcher's ticks, backoffs and grace are timers and Date.now(): simulated, so that
// each test runs the same schedule every time and "nothing happened" means nothing was due.
beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});
const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe('GrantDispatcher', () => {
  it('delivers the grants its start-up sweep finds, each once', async () => {
    const { delivery, metrics, dispatcher } = setup(0, () => [grant(1), grant(2), grant(3)]);
    dispatcher.start();
    await advance(1_000); // two hundred ticks: any second delivery would have happened
    await dispatcher.stop();
    expect(delivery.delivered.sort()).toEqual([oid(1), oid(2), oid(3)]);
    expect((await metrics.grantsPending.get()).values[0]?.value).toBe(0);
  });

  it('retries a grant a submit could not deliver, backing off, until it lands, then stops', async () => {
    const { delivery, dispatcher } = setup(3);
    dispatcher.start();
    dispatcher.retryLater(grant(7));
    // Backoff from the 5 ms tick, doubling: tries at about 5, 15 and 35 ms fail, the fourth lands.
    await advance(30);
    expect(delivery.tries.get(oid(7))).toBe(2);
    await advance(1_000);
    await dispatcher.stop();
    expect(delivery.tries.get(oid(7))).toBe(4);
    expect(delivery.delivered).toEqual([oid(7)]);
  });

  it("leaves a grant recorded since it started, and younger than the grace, to that submit's own delivery; past the grace, sweeps it", async () => {
    const recordedAt = new Date(Date.now() + 1);
    const { delivery, dispatcher, sweeps } = setup(0, () => [grant(4, recordedAt)], 10);
    dispatcher.start();
    await advance(9_000);
    expect(sweeps.count).toBeGreaterThan(100);
    expect(delivery.delivered).toEqual([]);
    await advance(2_000); // the 10 s grace has passed: nobody else is delivering it
    await dispatcher.stop();
    expect(delivery.delivered).toEqual([oid(4)]);
  });

  it('delivers nothing once stopped', async () => {
    const { delivery, dispatcher } = setup(0);
    dispatcher.start();
    dispatcher.retryLater(grant(9));
    await advance(100);
    expect(delivery.delivered).toEqual([oid(9)]);
    await dispatcher.stop();
    dispatcher.retryLater(grant(8));
    await advance(10_000);
    expect(delivery.delivered).toEqual([oid(9)]);
  });
});
