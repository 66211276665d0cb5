/**
 * Down: every document a migration touched goes back to exactly its backed-up
 * state (same fields, values, BSON types, field order), every document it
 * created is deleted. Backups are read without promoting values, so an Int32
 * stays an Int32 and a Double a Double; each restored document is read back
 * and compared byte for byte (FerretDB 1.24 silently ignores a replaceOne
 * whose only change is a number's type), and rewritten when it differs.
 */
import { BSON, type Collection, type Document } from 'mongodb';
import { progressBar, STATE, UsageError } from './context';
import { byId, type BackupDocument, type RunContext } from './pass';

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
  if (!(await restoreExactly(collection, original)))
    ctx.report.problem(`${collectionName}/${String(backup.docId)}: restored document differs from its backup`);
  counts.restored += 1;
}

/**
 * Writes a document back byte for byte; true when what is stored then is
 * exactly it. FerretDB 1.24 silently ignores a replace whose only change is a
 * number's BSON type, so what was written is read back, and written again
 * in two steps when it differs.
 */
export async function restoreExactly(collection: Collection<Document>, original: Document): Promise<boolean> {
  const filter = byId(original._id);
  const wanted = Buffer.from(BSON.serialize(original));
  const stored = async () => {
    const doc = await collection.findOne(filter, { raw: true });
    return doc ? Buffer.from(doc as unknown as Uint8Array) : undefined;
  };
  await collection.replaceOne(filter, original, { upsert: false });
  const now = await stored();
  if (now?.equals(wanted)) return true;
  // Missing, or a change of number types only: delete and insert, so the write is seen.
  if (now) await collection.deleteOne(filter);
  await collection.insertOne(original);
  return (await stored())?.equals(wanted) === true;
}
