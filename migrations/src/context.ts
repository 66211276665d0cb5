/**
 * What every command shares: configuration by environment, the database, the
 * report it prints (and writes with --json), the progress bar, and the
 * collections the runner keeps its own state in.
 */
import os from 'node:os';
import { SingleBar } from 'cli-progress';
import { MongoClient, type Db, type Document, type Filter, type WithId } from 'mongodb';
import type { Conflict } from './transform';

export const STATE = {
  applied: 'migrations_applied',
  runs: 'migration_runs',
  lock: 'migration_lock',
  backups: 'migration_backups',
} as const;
export const STATE_COLLECTIONS: readonly string[] = Object.values(STATE);

export interface Environment {
  name: string;
  /** A run that writes must say --backup or --no-backup. */
  requireBackupDecision: boolean;
  /** Documents per batch; an update batch stays below the local database's 63 statements. */
  batchSize: number;
  /** Pause after every batch, so that the platform's own traffic goes on. */
  throttleMs: number;
  /** How long a runner waits for another one's lock before refusing. */
  lockWaitMs: number;
  /** A lock not renewed for this long belongs to a dead runner. */
  lockTtlMs: number;
}

const base = { batchSize: 50, throttleMs: 0, lockWaitMs: 0, lockTtlMs: 30_000, requireBackupDecision: false };
export const ENVIRONMENTS: Record<string, Environment> = {
  development: { name: 'development', ...base },
  test: { name: 'test', ...base, lockTtlMs: 5_000 },
  staging: { name: 'staging', ...base, throttleMs: 5, lockWaitMs: 60_000 },
  production: { name: 'production', ...base, throttleMs: 10, lockWaitMs: 60_000, requireBackupDecision: true },
};

export class UsageError extends Error {}

export interface Counts {
  read: number;
  updated: number;
  inserted: number;
  skipped: number;
  backedUp: number;
  restored: number;
  deleted: number;
  /** Changed by another writer between the read and the write: left for the next run. */
  changed: number;
}
export const emptyCounts = (): Counts => ({
  read: 0,
  updated: 0,
  inserted: 0,
  skipped: 0,
  backedUp: 0,
  restored: 0,
  deleted: 0,
  changed: 0,
});

/** What a command did, printed for people and written as one JSON document with --json. */
export class Report {
  readonly startedAt = new Date();
  readonly collections: Record<string, Counts> = {};
  readonly conflicts: Conflict[] = [];
  readonly problems: string[] = [];
  readonly notes: string[] = [];
  readonly details: unknown[] = [];
  readonly extra: Record<string, unknown> = {};
  outcome: 'succeeded' | 'failed' | 'dry-run' = 'succeeded';

  constructor(
    readonly command: string,
    private readonly json: boolean,
    private readonly verbose: boolean,
  ) {}

  counts(collection: string): Counts {
    return (this.collections[collection] ??= emptyCounts());
  }

  conflict(conflict: Conflict): void {
    this.conflicts.push(conflict);
    if (this.verbose && !this.json)
      process.stdout.write(`  conflict ${conflict.kind} ${conflict.collection}/${conflict.id}: ${conflict.detail}\n`);
  }

  problem(text: string): void {
    this.problems.push(text);
    if (!this.json) process.stdout.write(`  FAILED ${text}\n`);
  }

  /** A line for people (not in --json mode). */
  say(text: string): void {
    if (!this.json) process.stdout.write(`${text}\n`);
  }

  /**
   * A line only with --verbose, kept then in the JSON report's details. Not
   * kept otherwise: one per course would make a run's memory grow with the
   * database.
   */
  detail(text: string, data?: unknown): void {
    if (!this.verbose) return;
    if (data !== undefined) this.details.push(data);
    if (!this.json) process.stdout.write(`  ${text}\n`);
  }

  conflictsByKind(): Record<string, number> {
    const byKind: Record<string, number> = {};
    for (const c of this.conflicts) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
    return byKind;
  }

  toJSON() {
    return {
      command: this.command,
      outcome: this.problems.length > 0 ? 'failed' : this.outcome,
      startedAt: this.startedAt.toISOString(),
      elapsedMs: Date.now() - this.startedAt.getTime(),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      collections: this.collections,
      conflictsByKind: this.conflictsByKind(),
      conflicts: this.conflicts,
      problems: this.problems,
      notes: this.notes,
      ...this.extra,
      ...(this.details.length > 0 ? { details: this.details } : {}),
    };
  }

  finish(): number {
    const failed = this.problems.length > 0 || this.outcome === 'failed';
    if (this.json) {
      process.stdout.write(`${JSON.stringify(this.toJSON(), null, 2)}\n`);
    } else {
      const lines = [
        `${this.command}: ${failed ? 'FAILED' : this.outcome} in ${((Date.now() - this.startedAt.getTime()) / 1000).toFixed(1)} s`,
      ];
      for (const [name, c] of Object.entries(this.collections)) {
        const parts = Object.entries(c)
          .filter(([, v]) => v > 0)
          .map(([k, v]) => `${k} ${v}`);
        lines.push(`  ${name}: ${parts.length ? parts.join(', ') : 'nothing'}`);
      }
      const kinds = Object.entries(this.conflictsByKind());
      if (kinds.length) lines.push(`  conflicts: ${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}`);
      for (const note of this.notes) lines.push(`  ${note}`);
      if (this.problems.length) lines.push(`  ${this.problems.length} failed check(s)`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return failed ? 1 : 0;
  }
}

/** A progress bar with counts, rate and ETA on stderr; a line every few seconds when stderr is not a terminal. */
export function progressBar(label: string, total: number, enabled: boolean) {
  if (!enabled || total === 0) return { increment: (_n: number) => {}, stop: () => {} };
  const bar = new SingleBar({
    format: `${label.padEnd(12)} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted}`,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    etaBuffer: 50,
    hideCursor: false,
  });
  const started = Date.now();
  let done = 0;
  bar.start(total, 0, { rate: '0' });
  return {
    increment(n: number) {
      done += n;
      bar.update(Math.min(done, total), { rate: (done / Math.max((Date.now() - started) / 1000, 0.001)).toFixed(0) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** Streams a collection in batches of the run's size (one cursor, no sort), with a progress bar. */
export async function inBatches<T extends Document>(
  db: Db,
  name: string,
  options: Pick<Options, 'batchSize' | 'progress' | 'json'>,
  query: { filter?: Filter<T>; projection?: Document; label?: string },
  each: (docs: WithId<T>[]) => void | Promise<void>,
): Promise<void> {
  const collection = db.collection<T>(name);
  const filter = query.filter ?? {};
  const bar = progressBar(query.label ?? name, await collection.countDocuments(filter), options.progress && !options.json);
  let batch: WithId<T>[] = [];
  try {
    for await (const doc of collection.find(filter, query.projection ? { projection: query.projection } : {})) {
      batch.push(doc);
      if (batch.length >= options.batchSize) {
        await each(batch);
        bar.increment(batch.length);
        batch = [];
      }
    }
    if (batch.length) await each(batch);
    bar.increment(batch.length);
  } finally {
    bar.stop();
  }
}

export interface Options {
  environment: Environment;
  json: boolean;
  verbose: boolean;
  dryRun: boolean;
  backup: boolean | undefined;
  resume: boolean;
  progress: boolean;
  batchSize: number;
  throttleMs: number;
  lockWaitMs: number;
}

export interface Connection {
  client: MongoClient;
  db: Db;
  uri: string;
  close(): Promise<void>;
}

export async function connect(): Promise<Connection> {
  const uri = process.env.MONGODB_URI;
  if (!uri)
    throw new UsageError(
      'MONGODB_URI is not set: the commands read their database from it (and its name from MONGODB_DB, default testmancer); for the local database, use the URI `make dev` prints',
    );
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, appName: 'testmancer-migrations' });
  await client.connect();
  const db = client.db(process.env.MONGODB_DB || 'testmancer');
  return { client, db, uri, close: () => client.close() };
}

export const whoAmI = (): string => {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    /* no passwd entry */
  }
  return `${user}@${os.hostname()}`;
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const isDuplicateKey = (error: unknown): boolean => {
  const e = error as { code?: number; writeErrors?: { code?: number }[] };
  return e?.code === 11000 || (Array.isArray(e?.writeErrors) && e.writeErrors.length > 0 && e.writeErrors.every((w) => w.code === 11000));
};
