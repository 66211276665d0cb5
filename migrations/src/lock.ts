/**
 * One runner at a time per database: an atomic insert of one lock document
 * (`_id: "migrations"`), renewed while the runner lives. Expiry is checked by
 * the code (FerretDB has no TTL indexes). A lock is taken over only when it
 * is provably dead: its `expiresAt` has passed (the holder stopped renewing),
 * or it was taken on this host by a process id that no longer exists. The
 * takeover deletes the lock only if it is still exactly the one judged dead
 * (same owner and same expiry), so a live holder's renewal wins the race.
 */
import os from 'node:os';
import type { Db } from 'mongodb';
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
  const renew = async () => {
    const expiresAt = new Date(Date.now() + ttlMs);
    const { matchedCount } = await locks.updateOne({ _id: LOCK_ID, owner: lock.owner }, { $set: { expiresAt } });
    if (matchedCount === 1) current = { ...current, expiresAt };
    else lost = true;
  };
  const timer = setInterval(
    () => {
      renew().catch(() => undefined);
    },
    Math.max(200, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    get lock() {
      if (lost) throw new Error('the migration lock was lost (not renewed in time); stopping');
      return current;
    },
    recovered,
    async release() {
      clearInterval(timer);
      await locks.deleteOne({ _id: LOCK_ID, owner: lock.owner });
    },
  };
}
