/**
 * One runner at a time per database: an atomic insert of one lock document
 * (`_id: "migrations"`), renewed while the runner lives. Expiry is checked by
 * the code (FerretDB has no TTL indexes). A lock is taken over only when it
 * is provably dead: its `expiresAt` has passed (the holder stopped renewing),
 * or it was taken on this host by a process id that no longer exists. The
 * takeover deletes the lock only if it is still exactly the one judged dead
 * (same owner and same expiry), so a live holder's renewal wins the race.
 *
 * Fencing: a runner that stalled (a long GC pause, a stopped process, a
 * partitioned network) past its expiry may have lost the lock to another
 * runner without knowing it. So the holder writes only under a lease it has
 * proved: every renewal is a write filtered by its own `owner`, and the lease
 * it proves lasts two thirds of the expiry from the moment the renewal was
 * sent, so it ends before anyone may take the lock over. Every write of a run
 * (`fenceWrites`) checks the lease first, and proves it again with a renewal
 * when it has run out; a renewal that matches nothing means the lock is
 * someone else's, and the write fails with `LockLost` instead of landing.
 */
import os from 'node:os';
import type { Collection, Db } from 'mongodb';
import { isDuplicateKey, sleep, STATE, whoAmI } from './context';

export interface LockDocument {
  _id: string;
  owner: string;
  runId: string;
  command: string;
  who: string;
  host: string;
  pid: number;
  acquiredAt: Date;
  expiresAt: Date;
}

export class LockHeld extends Error {
  constructor(readonly holder: LockDocument) {
    super(
      `another migration runner holds the lock: run ${holder.runId} (${holder.command}) by ${holder.who}, pid ${holder.pid} on ${holder.host}, ` +
        `since ${holder.acquiredAt.toISOString()}, expires ${holder.expiresAt.toISOString()} unless renewed. Wait for it to finish, or see npm run migrate:status`,
    );
  }
}

/** The lock was taken over while this runner held it (it stalled past its expiry): it must not write again. */
export class LockLost extends Error {
  constructor(readonly runId: string) {
    super(
      `run ${runId} lost the migration lock (it stalled past the lock's expiry and another runner may have taken it over): ` +
        'it stopped before its next write; see npm run migrate:status, then run the command again (with --resume for an interrupted migration)',
    );
  }
}

/** The LockLost behind an error (umzug wraps what a migration throws), if that is what it is. */
export function lockLostIn(error: unknown): LockLost | undefined {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) if (cause instanceof LockLost) return cause;
  return undefined;
}

const LOCK_ID = 'migrations';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a lock read from the database belongs to a runner that is gone. */
export function isDead(lock: LockDocument, now: Date, host = os.hostname()): boolean {
  if (lock.expiresAt.getTime() < now.getTime()) return true;
  return lock.host === host && lock.pid !== process.pid && !processAlive(lock.pid);
}

export interface HeldLock {
  readonly lock: LockDocument;
  /** Notes on how it was taken (a dead runner's lock recovered). */
  readonly recovered: LockDocument | undefined;
  /** Resolves while the lease holds (proving it again with a renewal when it ran out); throws `LockLost` otherwise. */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

export async function acquireLock(
  db: Db,
  { runId, command, ttlMs, waitMs }: { runId: string; command: string; ttlMs: number; waitMs: number },
): Promise<HeldLock> {
  const locks = db.collection<LockDocument>(STATE.lock);
  const started = Date.now();
  let recovered: LockDocument | undefined;
  for (;;) {
    const now = new Date();
    const lock: LockDocument = {
      _id: LOCK_ID,
      owner: `${runId}:${process.pid}`,
      runId,
      command,
      who: whoAmI(),
      host: os.hostname(),
      pid: process.pid,
      acquiredAt: now,
      expiresAt: new Date(now.getTime() + ttlMs),
    };
    try {
      await locks.insertOne(lock);
      return held(db, lock, ttlMs, recovered);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const holder = await locks.findOne({ _id: LOCK_ID });
    if (!holder) continue;
    if (isDead(holder, new Date())) {
      const { deletedCount } = await locks.deleteOne({ _id: LOCK_ID, owner: holder.owner, expiresAt: holder.expiresAt });
      if (deletedCount === 1) recovered = holder;
      continue;
    }
    if (Date.now() - started >= waitMs) throw new LockHeld(holder);
    await sleep(Math.min(1000, Math.max(50, waitMs / 20)));
  }
}

function held(db: Db, lock: LockDocument, ttlMs: number, recovered: LockDocument | undefined): HeldLock {
  const locks = db.collection<LockDocument>(STATE.lock);
  let current = lock;
  let lost = false;
  // The insert that took the lock proved it from `acquiredAt` on.
  let leaseUntil = lock.acquiredAt.getTime() + LEASE_SHARE * ttlMs;
  let renewing: Promise<void> | undefined;
  const renew = () =>
    (renewing ??= (async () => {
      const sentAt = Date.now();
      const expiresAt = new Date(sentAt + ttlMs);
      try {
        const { matchedCount } = await locks.updateOne({ _id: LOCK_ID, owner: lock.owner }, { $set: { expiresAt } });
        if (matchedCount === 1) {
          current = { ...current, expiresAt };
          leaseUntil = sentAt + LEASE_SHARE * ttlMs;
        } else lost = true;
      } finally {
        renewing = undefined;
      }
    })());
  // A failed renewal is only a lease not extended: the next write proves it again or stops.
  const timer = setInterval(() => void renew().catch(() => undefined), Math.max(200, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    get lock() {
      if (lost) throw new LockLost(lock.runId);
      return current;
    },
    recovered,
    async assertHeld() {
      if (!lost && Date.now() < leaseUntil) return;
      if (!lost) await renew();
      if (lost || Date.now() >= leaseUntil) throw new LockLost(lock.runId);
    },
    async release() {
      clearInterval(timer);
      if (!lost) await locks.deleteOne({ _id: LOCK_ID, owner: lock.owner });
    },
  };
}

/** The share of the expiry a proved lease lasts: it ends well before anyone may take the lock over. */
const LEASE_SHARE = 2 / 3;

/** What a write of a run checks first. */
export interface Fence {
  assertHeld(): Promise<void>;
}

/** A dry run writes nothing, so it holds no lock and its fence always passes. */
export const UNFENCED: Fence = { assertHeld: () => Promise.resolve() };

const WRITES = new Set([
  'insertOne',
  'insertMany',
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'bulkWrite',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'createIndex',
  'dropIndex',
  'drop',
]);

/**
 * The database as a run writes it: every write method of every collection
 * checks the fence first, so no write of a runner that lost its lock can
 * land, whichever pass or helper makes it.
 */
export function fenceWrites(db: Db, fence: Fence): Db {
  const collections = new Map<string, Collection>();
  const fenced = (collection: Collection): Collection =>
    new Proxy(collection, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof property !== 'string' || !WRITES.has(property) || typeof value !== 'function') return value;
        return async (...args: unknown[]): Promise<unknown> => {
          await fence.assertHeld();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'collection') return Reflect.get(target, property, receiver) as unknown;
      return (name: string) => {
        let collection = collections.get(name);
        if (!collection) collections.set(name, (collection = fenced(target.collection(name))));
        return collection;
      };
    },
  });
}
