/**
 * The runner: umzug over the chain, with its applied state (name, checksum,
 * when, by which run) in `migrations_applied`, every run recorded in
 * `migration_runs`, and the lock around everything that writes.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Db, Document } from 'mongodb';
import { Umzug, type UmzugStorage } from 'umzug';
import { STATE, UsageError, whoAmI, type Options, type Report } from './context';
import { acquireLock, fenceWrites, lockLostIn } from './lock';
import { CHAIN, migrationNamed, type Migration } from './migrations';
import type { RunContext } from './pass';

export interface AppliedDocument {
  _id: string;
  checksum: string;
  appliedAt: Date;
  runId: string;
}

export const checksumOf = (migration: Migration): string => createHash('sha256').update(readFileSync(migration.file)).digest('hex');

class MongoStorage implements UmzugStorage<RunContext> {
  constructor(
    private readonly db: Db,
    private readonly runId: () => string,
  ) {}
  async logMigration({ name }: { name: string }) {
    const migration = migrationNamed(name)!;
    await this.db
      .collection<AppliedDocument>(STATE.applied)
      .replaceOne({ _id: name }, { checksum: checksumOf(migration), appliedAt: new Date(), runId: this.runId() }, { upsert: true });
  }
  async unlogMigration({ name }: { name: string }) {
    await this.db.collection<AppliedDocument>(STATE.applied).deleteOne({ _id: name });
  }
  async executed(): Promise<string[]> {
    const applied = new Set((await this.db.collection<AppliedDocument>(STATE.applied).find({}).toArray()).map((d) => d._id));
    return CHAIN.map((m) => m.name).filter((name) => applied.has(name));
  }
}

export interface RunRecord {
  _id: string;
  command: string;
  migrations: string[];
  who: string;
  pid: number;
  startedAt: Date;
  finishedAt?: Date;
  options: Document;
  backup: boolean;
  outcome: 'running' | 'succeeded' | 'failed' | 'dry-run' | 'interrupted';
  counts?: Document;
  conflictsByKind?: Document;
  checkpoint?: Document;
  resumes?: string;
  error?: string;
}

function umzugFor(db: Db, base: Omit<RunContext, 'migration'>) {
  return new Umzug<RunContext>({
    migrations: CHAIN.map((m) => ({
      name: m.name,
      up: async () => {
        base.report.say(`→ ${m.name}: ${m.description}`);
        await m.up({ ...base, migration: m.name });
      },
      down: async () => {
        base.report.say(`← ${m.name}: restoring what it changed`);
        await m.down({ ...base, migration: m.name });
      },
    })),
    context: { ...base, migration: '' },
    storage: new MongoStorage(db, () => base.runId),
    logger: undefined,
  });
}

export async function pendingNames(db: Db): Promise<string[]> {
  const applied = new Set((await db.collection<AppliedDocument>(STATE.applied).find({}).toArray()).map((d) => d._id));
  return CHAIN.map((m) => m.name).filter((name) => !applied.has(name));
}

/**
 * Runs `work` as one recorded run under the lock. `migrations` names what the
 * run may change (for the record and for `--resume`).
 */
export async function recordedRun(
  db: Db,
  command: string,
  migrations: string[],
  options: Options,
  report: Report,
  work: (ctx: Omit<RunContext, 'migration'>) => Promise<void>,
): Promise<void> {
  const runId = randomUUID();
  const runs = db.collection<RunRecord>(STATE.runs);
  const writes = !options.dryRun;
  if (writes && options.environment.requireBackupDecision && options.backup === undefined) {
    throw new UsageError(`a ${options.environment.name} run must say --backup (or --no-backup to run without one, explicitly)`);
  }
  const lock = writes
    ? await acquireLock(db, { runId, command, ttlMs: options.environment.lockTtlMs, waitMs: options.lockWaitMs })
    : undefined;
  if (lock?.recovered)
    report.notes.push(`recovered the lock of dead run ${lock.recovered.runId} (pid ${lock.recovered.pid} on ${lock.recovered.host})`);
  let resumes: RunRecord | null = null;
  try {
    if (writes) {
      resumes = await runs.findOne({ outcome: 'running', migrations: { $in: migrations } });
      if (resumes && !options.resume && command !== 'migrate:up') {
        throw new UsageError(
          `run ${resumes._id} (${resumes.command}, started ${resumes.startedAt.toISOString()} by ${resumes.who}) was interrupted` +
            `${resumes.checkpoint ? ` after ${resumes.checkpoint.read} ${resumes.checkpoint.collection}` : ''}: continue it with --resume, or undo it with npm run migrate:rollback-structured-courses`,
        );
      }
      if (resumes) {
        report.notes.push(
          `resuming run ${resumes._id}${resumes.checkpoint ? ` from its checkpoint (${resumes.checkpoint.collection}: ${resumes.checkpoint.read} read)` : ''}`,
        );
        await runs.updateOne({ _id: resumes._id }, { $set: { outcome: 'interrupted', resumedBy: runId } });
      }
    }
    const record: RunRecord = {
      _id: runId,
      command,
      migrations,
      who: whoAmI(),
      pid: process.pid,
      startedAt: report.startedAt,
      options: {
        environment: options.environment.name,
        dryRun: options.dryRun,
        backup: options.backup ?? null,
        resume: options.resume,
        batchSize: options.batchSize,
        throttleMs: options.throttleMs,
      },
      backup: options.backup !== false,
      outcome: writes ? 'running' : 'dry-run',
      ...(resumes ? { resumes: resumes._id } : {}),
    };
    // A dry run writes nothing at all, not even its own record.
    if (writes) await runs.insertOne(record);
    report.extra.runId = runId;
    try {
      await work({ db: lock ? fenceWrites(db, lock) : db, runId, options, report });
      if (lock) void lock.lock; // throws if the lock was lost meanwhile
      if (options.dryRun) report.outcome = 'dry-run';
      if (writes)
        await runs.updateOne(
          { _id: runId },
          {
            $set: {
              outcome: report.problems.length > 0 ? 'failed' : record.outcome === 'running' ? 'succeeded' : record.outcome,
              finishedAt: new Date(),
              counts: report.collections,
              conflictsByKind: report.conflictsByKind(),
            },
          },
        );
    } catch (error) {
      report.outcome = 'failed';
      // A runner that lost its lock writes nothing more, not even its own record: another runner owns the database now.
      const lost = lockLostIn(error);
      if (lost) throw lost;
      if (writes)
        await runs
          .updateOne(
            { _id: runId },
            {
              $set: {
                outcome: 'running',
                finishedAt: new Date(),
                error: String((error as Error).message ?? error),
                counts: report.collections,
              },
            },
          )
          .catch(() => undefined);
      throw error;
    }
  } finally {
    await lock?.release().catch(() => undefined);
  }
}

/**
 * Applies the pending migrations of the chain up to and including `to` (all
 * when undefined). `run <name>` (a `to`) also runs again, first, every
 * migration before it that is applied: the catch-up, which brings over what
 * production changed since their last run (docs/live-migration.md). `up`
 * (the deploy's Job) applies only what is pending.
 */
export async function migrateUp(db: Db, command: string, options: Options, report: Report, to?: string): Promise<void> {
  const pending = await pendingNames(db);
  const upTo = to ? CHAIN.findIndex((m) => m.name === to) : CHAIN.length - 1;
  const chain = CHAIN.slice(0, upTo + 1).map((m) => m.name);
  const planned = chain.filter((name) => pending.includes(name));
  if (options.dryRun) {
    // A dry run of one migration: what it would do on the data as it is (a catch-up when applied), nothing written.
    const target = migrationNamed(to ?? CHAIN[CHAIN.length - 1]!.name)!;
    const before = planned.filter((name) => name !== target.name);
    if (before.length) report.notes.push(`would first apply ${before.join(', ')} (not simulated beyond the ids they derive)`);
    if (!planned.includes(target.name)) report.notes.push(`${target.name} is applied: this is what a catch-up would bring over`);
    await recordedRun(db, command, [target.name], options, report, (ctx) => target.up({ ...ctx, migration: target.name }));
    return;
  }
  const firstPending = chain.findIndex((name) => pending.includes(name));
  const catchUp = to ? chain.slice(0, firstPending < 0 ? chain.length : firstPending) : [];
  report.say(
    [
      catchUp.length ? `catching up ${catchUp.join(', ')}` : '',
      planned.length ? `applying ${planned.join(', ')}` : catchUp.length ? '' : 'nothing to apply: every migration of the chain is applied',
    ]
      .filter(Boolean)
      .join('; '),
  );
  report.extra.applied = planned;
  report.extra.caughtUp = catchUp;
  if (planned.length === 0 && catchUp.length === 0) {
    // Still checks what is applied: a migration file changed since it ran is worth knowing.
    await checksumNotes(db, report);
    return;
  }
  await recordedRun(db, command, [...catchUp, ...planned], options, report, async (ctx) => {
    for (const name of catchUp) {
      report.say(`↻ ${name}: what production changed since its last run`);
      await migrationNamed(name)!.up({ ...ctx, migration: name });
    }
    // Again under the lock: a runner that waited for another one may find it all done.
    const still = new Set(await pendingNames(db));
    const now = planned.filter((name) => still.has(name));
    report.extra.applied = now;
    if (now.length === 0) {
      if (planned.length) report.notes.push('another runner applied everything meanwhile: nothing left to apply');
      return;
    }
    await umzugFor(ctx.db, ctx).up({ to: now[now.length - 1]! });
  });
}

/** Reverts applied migrations down to (and including) `to`, newest first; all of them when `to` is undefined. */
export async function migrateDown(db: Db, command: string, options: Options, report: Report, to?: string): Promise<void> {
  const applied = CHAIN.map((m) => m.name);
  const pending = new Set(await pendingNames(db));
  const done = applied.filter((name) => !pending.has(name));
  const from = to ? done.indexOf(to) : 0;
  if (to && from < 0) throw new UsageError(`${to} is not applied; applied: ${done.join(', ') || 'none'}`);
  const reverting = done.slice(from).reverse();
  report.extra.reverted = reverting;
  await recordedRun(db, command, reverting, options, report, async (ctx) => {
    if (options.dryRun) {
      for (const name of reverting) await migrationNamed(name)!.down({ ...ctx, migration: name });
      return;
    }
    await umzugFor(ctx.db, ctx).down({ to: reverting[reverting.length - 1]! });
  });
}

async function checksumNotes(db: Db, report: Report): Promise<void> {
  for (const doc of await db.collection<AppliedDocument>(STATE.applied).find({}).toArray()) {
    const migration = migrationNamed(doc._id);
    if (migration && checksumOf(migration) !== doc.checksum)
      report.notes.push(
        `${doc._id} changed since it was applied (checksum ${doc.checksum.slice(0, 12)}… → ${checksumOf(migration).slice(0, 12)}…)`,
      );
  }
}

export { checksumNotes };
