/**
 * Delivering the gems first attempts owe, exactly once.
 *
 * A first attempt is recorded with `grant: { key, amount, status: 'pending' }`
 * and `grantPending: true` in the same insert (the outbox). Delivery is GrantGems with the grant's
 * idempotency key (one per user and quiz), then `status: 'delivered'` with
 * `grantPending` removed. The
 * gems ledger's unique key turns any repeat (a retry after a timeout whose
 * call did land, two replicas delivering the same grant, a crash between the
 * call and the mark) into a no-op, so a grant is tried until it is marked,
 * and lands once.
 *
 * Who tries: SubmitAttempt once, right away; then the dispatcher, which keeps
 * the grants this process failed to deliver in memory and retries them with
 * a backoff, and sweeps the attempts for every pending grant at start-up and
 * every `sweepIntervalMs`, which picks up what a stopped process (this one
 * before a restart, or another replica) left. The sweep reads the sparse
 * `grantPending` index: it costs what is owed, not what was ever attempted.
 */
import type { Logger } from '@testmancer/shared';
import type { GemsLedger } from '../clients/gems';
import type { AttemptRecord } from '../domain';
import type { QuizMetrics } from '../metrics';
import type { AttemptStore, PendingGrant } from '../store/attempts';

export class GrantDelivery {
  constructor(
    private readonly gems: GemsLedger,
    private readonly attempts: Pick<AttemptStore, 'markDelivered'>,
    private readonly metrics: QuizMetrics,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * One try, waiting for the gems service at most `timeoutMs`; true when the
   * grant is delivered (now or earlier) and marked so.
   */
  async deliver(grant: PendingGrant, timeoutMs: number, failedTries: number): Promise<boolean> {
    try {
      await this.gems.grant(
        { key: grant.key, userId: grant.userId, amount: grant.amount, source: `quiz:${grant.quizId}`, reason: 'first attempt' },
        timeoutMs,
      );
      const deliveredAt = this.now();
      if (await this.attempts.markDelivered(grant.attemptId, deliveredAt, failedTries)) {
        this.metrics.gemsGranted.inc(grant.amount);
        this.metrics.deliveryLag.observe((deliveredAt.getTime() - grant.createdAt.getTime()) / 1000);
      }
      return true;
    } catch (err) {
      this.logger.debug({ err, attemptId: grant.attemptId, key: grant.key }, 'gem grant not delivered');
      return false;
    }
  }
}

/** The grant an attempt owes, as the dispatcher delivers it; undefined when it owes none. */
export function owedBy(attempt: AttemptRecord): PendingGrant | undefined {
  if (!attempt.grant) return undefined;
  return {
    attemptId: attempt.id,
    quizId: attempt.quizId,
    userId: attempt.userId,
    key: attempt.grant.key,
    amount: attempt.grant.amount,
    createdAt: attempt.createdAt,
  };
}

interface Queued {
  grant: PendingGrant;
  failures: number;
  dueAt: number;
}

/**
 * Grants delivered per tick, at most; the calls of one tick run concurrently.
 * More would only queue behind the database's writes and time out.
 */
const BATCH = 20;
/** Retries back off from the tick interval, doubling, up to this. */
const MAX_BACKOFF_MS = 2_000;
/**
 * The sweep leaves grants this young alone: this process may be delivering
 * them for their submit right now (two deliveries of one grant are harmless
 * but would count it twice), and the submit queues them here if it fails.
 */
const SWEEP_GRACE_MS = 10_000;
/**
 * Retries are nobody's request, so they wait longer than a submit does: under
 * load a short deadline expires on calls the gems service then completes, and
 * the retries of those are slower duplicates.
 */
const RETRY_TIMEOUT_MS = 5_000;

export class GrantDispatcher {
  private readonly queue = new Map<string, Queued>();
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private nextSweepAt = 0;
  private stopped = false;

  constructor(
    private readonly delivery: Pick<GrantDelivery, 'deliver'>,
    private readonly attempts: Pick<AttemptStore, 'pendingGrants'>,
    private readonly metrics: QuizMetrics,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly sweepIntervalMs: number,
  ) {}

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** A grant SubmitAttempt could not deliver: retried from the next tick on, with backoff. */
  retryLater(grant: PendingGrant): void {
    this.queue.set(grant.attemptId, { grant, failures: 1, dueAt: Date.now() + this.backoff(1) });
    this.metrics.grantsPending.set(this.queue.size);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.cycle().finally(() => this.schedule(this.intervalMs));
    }, delayMs);
  }

  private async cycle(): Promise<void> {
    if (Date.now() >= this.nextSweepAt) {
      await this.sweep().catch((err: unknown) =>
        this.logger.warn({ err }, 'could not look for pending gem grants; trying again next tick'),
      );
    }
    await this.tick();
    this.metrics.grantsPending.set(this.queue.size);
  }

  private async sweep(): Promise<void> {
    const pending = await this.attempts.pendingGrants();
    const graceStart = Date.now() - SWEEP_GRACE_MS;
    for (const grant of pending) {
      const created = grant.createdAt.getTime();
      // Grants from before this process started cannot be in flight here.
      const settled = created < this.startedAt || created < graceStart;
      if (settled && !this.queue.has(grant.attemptId)) this.queue.set(grant.attemptId, { grant, failures: 0, dueAt: 0 });
    }
    this.nextSweepAt = Date.now() + this.sweepIntervalMs;
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    const due = [...this.queue.values()].filter((q) => q.dueAt <= now).slice(0, BATCH);
    const delivered = await Promise.all(
      due.map(async (queued) => {
        if (await this.delivery.deliver(queued.grant, RETRY_TIMEOUT_MS, queued.failures)) {
          this.queue.delete(queued.grant.attemptId);
          return true;
        }
        queued.failures += 1;
        queued.dueAt = Date.now() + this.backoff(queued.failures);
        return false;
      }),
    );
    const failed = delivered.filter((ok) => !ok).length;
    if (failed > 0) this.logger.warn({ failed, pending: this.queue.size }, 'gem grants not delivered yet; retrying with backoff');
  }

  private backoff(failures: number): number {
    return Math.min(this.intervalMs * 2 ** (failures - 1), MAX_BACKOFF_MS);
  }
}
