/**
 * A pass over a collection: one streaming cursor (no sort, no range
 * queries), documents handled in bounded batches, the originals backed up
 * before a batch touches them, a checkpoint written after every batch, and a
 * throttle between batches so the platform's own traffic goes on.
 *
 * Documents are read raw: the backup keeps the exact BSON (types and field
 * order), the transformation gets ordinary JavaScript values.
 */
import { BSON, type AnyBulkWriteOperation, type Collection, type Db, type Document, type Filter, type ObjectId } from 'mongodb';
import { isDuplicateKey, progressBar, sleep, STATE, type Options, type Report } from './context';

export interface RunContext {
  db: Db;
  runId: string;
  migration: string;
  options: Options;
  report: Report;
}

/** What one document of a batch asks for: writes, and whether its original must be backed up first. */
export interface Plan {
  /** Inserts into other collections, done before the update (expand first: new documents, then the switch). */
  inserts?: { collection: string; doc: Document }[];
  /** The update of the document itself (by `_id`). */
  update?: Document;
}

export interface BackupDocument {
  _id: string;
  runId: string;
  migration: string;
  collection: string;
  docId: unknown;
  /** The original document, exact; absent for a document the migration created. */
  doc?: Document;
  created?: true;
  savedAt: Date;
}

const backupId = (migration: string, collection: string, id: unknown) =>
  `${migration}:${collection}:${typeof id === 'object' && id !== null && 'toHexString' in id ? (id as ObjectId).toHexString() : String(id)}`;

/** The filter for one document by its _id, of whatever type it is (the driver types a Document's _id as ObjectId). */
export const byId = (id: unknown) => ({ _id: id }) as Filter<Document>;

/** Inserts, leaving out documents already there (a resumed batch); answers how many were new. */
export async function insertNew(collection: Collection<Document>, docs: Document[]): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    const result = await collection.insertMany(docs, { ordered: false });
    return result.insertedCount;
  } catch (error) {
    const e = error as { writeErrors?: unknown; insertedCount?: number; result?: { insertedCount?: number } };
    const writeErrors = ([] as { code?: number }[]).concat((e.writeErrors as { code?: number }[]) ?? []);
    if (writeErrors.length > 0 && writeErrors.every((w) => w.code === 11000)) return docs.length - writeErrors.length;
    if (isDuplicateKey(error)) return 0;
    throw error;
  }
}

/** Writes in statements of at most `max` (the local database's limit is 63). */
export async function bulkInChunks(collection: Collection<Document>, ops: AnyBulkWriteOperation<Document>[], max: number): Promise<void> {
  for (let i = 0; i < ops.length; i += max) await collection.bulkWrite(ops.slice(i, i + max), { ordered: true });
}

export interface PassOptions {
  collection: string;
  filter?: Document;
  projection?: Document;
  /** A label for the progress bar. */
  label?: string;
  /** Plans for one document: undefined when it needs nothing (already migrated). */
  plan: (doc: Document) => Plan | undefined | Promise<Plan | undefined>;
  /** Plans for a whole batch at once (to look things up in parallel); default: `plan` one by one. */
  planBatch?: (docs: Document[]) => Promise<(Plan | undefined)[]>;
}

export async function runPass(ctx: RunContext, pass: PassOptions): Promise<void> {
  const { db, options, report } = ctx;
  const counts = report.counts(pass.collection);
  const collection = db.collection(pass.collection);
  const total = await collection.countDocuments(pass.filter ?? {});
  const bar = progressBar(pass.label ?? pass.collection, total, options.progress && !options.json);
  const cursor = collection.find(pass.filter ?? {}, {
    raw: true,
    batchSize: 1000,
    ...(pass.projection ? { projection: pass.projection } : {}),
  });
  let batch: Buffer[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const raws = batch;
    batch = [];
    const docs = raws.map((raw) => BSON.deserialize(raw));
    const plans = pass.planBatch ? await pass.planBatch(docs) : await Promise.all(docs.map((doc) => Promise.resolve(pass.plan(doc))));
    await applyBatch(ctx, pass.collection, raws, docs, plans);
    counts.read += docs.length;
    bar.increment(docs.length);
    const lastId: unknown = docs[docs.length - 1]?._id;
    if (!options.dryRun) {
      await db.collection(STATE.runs).updateOne(
        { _id: ctx.runId as unknown as ObjectId },
        {
          $set: {
            checkpoint: { migration: ctx.migration, collection: pass.collection, read: counts.read, lastId, at: new Date() },
            counts: report.collections,
          },
        },
      );
    }
    if (options.throttleMs > 0) await sleep(options.throttleMs);
  };
  try {
    for await (const raw of cursor as unknown as AsyncIterable<Buffer>) {
      batch.push(raw);
      if (batch.length >= options.batchSize) await flush();
    }
    await flush();
  } finally {
    bar.stop();
    await cursor.close().catch(() => undefined);
  }
}

async function applyBatch(
  ctx: RunContext,
  collectionName: string,
  raws: Buffer[],
  docs: Document[],
  plans: (Plan | undefined)[],
): Promise<void> {
  const { db, options, report } = ctx;
  const counts = report.counts(collectionName);
  const backups: BackupDocument[] = [];
  const inserts = new Map<string, Document[]>();
  const updates: AnyBulkWriteOperation<Document>[] = [];
  const savedAt = new Date();
  plans.forEach((plan, i) => {
    const doc = docs[i]!;
    if (!plan || (!plan.update && !plan.inserts?.length)) {
      counts.skipped += 1;
      return;
    }
    if (plan.update) {
      const original = BSON.deserialize(raws[i]!, { promoteValues: false, promoteBuffers: false, promoteLongs: false });
      backups.push({
        _id: backupId(ctx.migration, collectionName, doc._id),
        runId: ctx.runId,
        migration: ctx.migration,
        collection: collectionName,
        docId: doc._id,
        doc: original,
        savedAt,
      });
      updates.push({ updateOne: { filter: byId(doc._id), update: plan.update } });
    }
    for (const insert of plan.inserts ?? []) {
      const list = inserts.get(insert.collection) ?? [];
      list.push(insert.doc);
      inserts.set(insert.collection, list);
      backups.push({
        _id: backupId(ctx.migration, insert.collection, insert.doc._id),
        runId: ctx.runId,
        migration: ctx.migration,
        collection: insert.collection,
        docId: insert.doc._id,
        created: true,
        savedAt,
      });
    }
  });
  if (options.dryRun) {
    counts.updated += updates.length;
    for (const [name, list] of inserts) report.counts(name).inserted += list.length;
    return;
  }
  if (options.backup !== false && backups.length > 0) {
    const saved = await insertNew(db.collection(STATE.backups), backups);
    counts.backedUp += saved;
  }
  for (const [name, list] of inserts) {
    const inserted = await insertNew(db.collection(name), list);
    report.counts(name).inserted += inserted;
  }
  if (updates.length > 0) {
    await bulkInChunks(db.collection(collectionName), updates, 60);
    counts.updated += updates.length;
  }
}
