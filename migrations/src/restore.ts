/**
 * Down: every document a migration touched goes back to exactly its backed-up
 * state (same fields, values, BSON types, field order), every document it
 * created is deleted. Backups are read without promoting values, so an Int32
 * stays an Int32 and a Double a Double; each restored document is read back
 * and compared byte for byte (FerretDB 1.24 silently ignores a replaceOne
 * whose only change is a number's type), and rewritten when it differs.
 */
import { BSON, type Document } from 'mongodb';
import { progressBar, STATE, UsageError } from './context';
import type { BackupDocument, RunContext } from './pass';

const RAW = { promoteValues: false, promoteBuffers: false, promoteLongs: false } as const;

export async function restoreBackups(ctx: RunContext): Promise<void> {
  const { db, options } = ctx;
  const backups = db.collection<BackupDocument>(STATE.backups);
  const filter = { migration: ctx.migration };
  const total = await backups.countDocuments(filter);
  const runs = db.collection(STATE.runs);
  const unbacked = await runs.findOne({ migrations: ctx.migration, backup: false, outcome: { $ne: 'dry-run' } });
  if (unbacked && !options.dryRun) {
    throw new UsageError(
      `run ${String(unbacked._id)} applied ${ctx.migration} with --no-backup: what it changed cannot be restored exactly from here; restore the database from your own backup`,
    );
  }
  const bar = progressBar(`down ${ctx.migration}`, total, options.progress && !options.json);
  const batch: BackupDocument[] = [];
  const flush = async () => {
    const items = batch.splice(0);
    await Promise.all(items.map((backup) => restoreOne(ctx, backup)));
    bar.increment(items.length);
  };
  try {
    for await (const backup of backups.find(filter, RAW)) {
      batch.push(backup);
      if (batch.length >= options.batchSize) await flush();
    }
    await flush();
  } finally {
    bar.stop();
  }
  // Only once everything is back: a rollback killed midway is simply run again.
  if (!options.dryRun && ctx.report.problems.length === 0) await backups.deleteMany(filter);
}

async function restoreOne(ctx: RunContext, backup: BackupDocument): Promise<void> {
  const collectionName = String(backup.collection);
  const counts = ctx.report.counts(collectionName);
  const collection = ctx.db.collection(collectionName);
  const _id = backup.docId as Document;
  if (backup.created) {
    const deleted = ctx.options.dryRun ? 1 : (await collection.deleteOne({ _id })).deletedCount;
    counts.deleted += deleted;
    return;
  }
  const original = backup.doc!;
  if (ctx.options.dryRun) {
    counts.restored += 1;
    return;
  }
  const wanted = Buffer.from(BSON.serialize(original));
  await collection.replaceOne({ _id }, original, { upsert: false });
  let now = await collection.findOne({ _id }, { raw: true });
  if (!now) {
    await collection.insertOne(original);
  } else if (!Buffer.from(now as unknown as Uint8Array).equals(wanted)) {
    // A change of number types only: replace in two steps so the write is seen.
    await collection.deleteOne({ _id });
    await collection.insertOne(original);
    now = await collection.findOne({ _id }, { raw: true });
    if (!now || !Buffer.from(now as unknown as Uint8Array).equals(wanted))
      ctx.report.problem(`${collectionName}/${String(backup.docId)}: restored document differs from its backup`);
  }
  counts.restored += 1;
}
