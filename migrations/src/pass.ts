/**
 * A pass over a collection: one streaming cursor (no sort, no range
 * queries), documents handled in bounded batches, the originals backed up
 * before a batch touches them, a checkpoint written after every batch, and a
 * throttle between batches so the platform's own traffic goes on.
 *
 * Documents are read raw: the backup keeps the exact BSON (types and field
 * order), the transformation gets ordinary JavaScript values.
 *
 * Production writes while a pass runs (docs/live-migration.md): an update
 * may carry a `guard`, conditions on the document as the plan read it, so
 * that a document the monolith changed meanwhile is left for the next run
 * rather than overwritten; and an insert refused by a unique index is never
 * taken for "already there" unless the very document (its `_id`) is there.
 */
import { BSON, type AnyBulkWriteOperation, type Collection, type Db, type Document, type Filter, type ObjectId } from 'mongodb';
import { progressBar, sleep, STATE, type Options, type Report } from './context';

export interface RunContext {
  /** Every write through it is fenced by the run's lock (lock.ts). */
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
  /**
   * Conditions the document must still meet for the update (what the plan
   * was made from); a document changed meanwhile is counted as `changed` and
   * brought over by the next run.
   */
  guard?: Document;
  /** The plan did its work itself (a catch-up that needs reads between its writes): counted as updated. */
  handled?: true;
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

export const backupId = (migration: string, collection: string, id: unknown) =>
  `${migration}:${collection}:${typeof id === 'object' && id !== null && 'toHexString' in id ? (id as ObjectId).toHexString() : String(id)}`;

/** The filter for one document by its _id, of whatever type it is (the driver types a Document's _id as ObjectId). */
export const byId = (id: unknown) => ({ _id: id }) as Filter<Document>;

/** What an insert of documents with ids of their own did. */
export interface Inserted {
  inserted: number;
  /** Already there, the same `_id`: written by an earlier (interrupted) run. */
  existing: Document[];
  /** Refused by another unique index while no document has their `_id`: a conflict for the caller to report by id. */
  refused: Document[];
}

/**
 * Inserts what is not there yet. A document refused as a duplicate counts as
 * already there only when a document with its `_id` exists; one refused by
 * another unique index is handed back, never dropped in silence.
 */
export async function insertNew(collection: Collection<Document>, docs: Document[]): Promise<Inserted> {
  if (docs.length === 0) return { inserted: 0, existing: [], refused: [] };
  let failed: Document[] = [];
  let inserted = docs.length;
  try {
    await collection.insertMany(docs, { ordered: false });
  } catch (error) {
    const e = error as { writeErrors?: unknown; code?: number };
    const writeErrors = ([] as { code?: number; index?: number; err?: { index?: number } }[]).concat(
      (e.writeErrors as { code?: number; index?: number }[]) ?? [],
    );
    if (writeErrors.length === 0 || writeErrors.some((w) => w.code !== 11000)) throw error;
    failed = writeErrors.map((w) => docs[w.index ?? w.err?.index ?? -1]).filter((doc): doc is Document => doc !== undefined);
    if (failed.length !== writeErrors.length) throw error;
    inserted -= failed.length;
  }
  const there = await Promise.all(failed.map((doc) => collection.findOne(byId(doc._id), { projection: { _id: 1 } })));
  return {
    inserted,
    existing: failed.filter((_, i) => there[i] !== null),
    refused: failed.filter((_, i) => there[i] === null),
  };
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
    await checkpoint(ctx, pass.collection, counts.read, docs[docs.length - 1]?._id);
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

/** The run's checkpoint after a batch, then the throttle that lets the platform's own traffic go on. */
export async function checkpoint(ctx: RunContext, collection: string, read: number, lastId: unknown): Promise<void> {
  const { db, options, report } = ctx;
  if (!options.dryRun) {
    await db
      .collection(STATE.runs)
      .updateOne(
        { _id: ctx.runId as unknown as ObjectId },
        { $set: { checkpoint: { migration: ctx.migration, collection, read, lastId, at: new Date() }, counts: report.collections } },
      );
  }
  if (options.throttleMs > 0) await sleep(options.throttleMs);
}

const createdBackup = (ctx: RunContext, collection: string, docId: unknown, savedAt: Date): BackupDocument => ({
  _id: backupId(ctx.migration, collection, docId),
  runId: ctx.runId,
  migration: ctx.migration,
  collection,
  docId,
  created: true,
  savedAt,
});

/**
 * Inserts documents the migration creates, each recorded as created first
 * (so a rollback removes it); one refused by another unique index is
 * reported by id as a conflict, unless the caller resolves it (`resolves`).
 * Answers what was refused.
 */
export async function insertCreated(
  ctx: RunContext,
  collection: string,
  docs: Document[],
  { resolves = false }: { resolves?: boolean } = {},
): Promise<Document[]> {
  return (await writeBatch(ctx, [], new Map([[collection, docs]]), resolves)).get(collection) ?? [];
}

/**
 * A batch's backups (the originals it will change and the documents it
 * creates), then its inserts; what a unique index refused, by collection.
 */
async function writeBatch(
  ctx: RunContext,
  originals: BackupDocument[],
  inserts: Map<string, Document[]>,
  resolves = false,
): Promise<Map<string, Document[]>> {
  const { db, options, report } = ctx;
  const refusedBy = new Map<string, Document[]>();
  if (options.dryRun) {
    for (const [name, list] of inserts) report.counts(name).inserted += list.length;
    return refusedBy;
  }
  if (options.backup !== false) {
    const savedAt = new Date();
    const backups = [...originals];
    for (const [name, list] of inserts) for (const doc of list) backups.push(createdBackup(ctx, name, doc._id, savedAt));
    // The first backup of a document is its original: a later run's copy (insertNew finds it there) is not kept.
    const { inserted } = await insertNew(db.collection(STATE.backups), backups);
    const counted = originals[0]?.collection ?? [...inserts.keys()][0];
    if (counted) report.counts(counted).backedUp += inserted;
  }
  for (const [name, list] of inserts) {
    const { inserted, refused } = await insertNew(db.collection(name), list);
    report.counts(name).inserted += inserted;
    if (!resolves)
      for (const doc of refused)
        report.conflict({
          kind: 'duplicate-key',
          collection: name,
          id: String(doc._id),
          detail: 'refused by a unique index: another document holds its key; nothing was overwritten',
        });
    if (refused.length) refusedBy.set(name, refused);
  }
  return refusedBy;
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
  const guarded: { filter: Document; update: Document }[] = [];
  const savedAt = new Date();
  plans.forEach((plan, i) => {
    const doc = docs[i]!;
    if (plan?.handled) {
      counts.updated += 1;
      return;
    }
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
      if (plan.guard) guarded.push({ filter: { ...plan.guard, ...byId(doc._id) }, update: plan.update });
      else updates.push({ updateOne: { filter: byId(doc._id), update: plan.update } });
    }
    for (const insert of plan.inserts ?? []) {
      const list = inserts.get(insert.collection) ?? [];
      list.push(insert.doc);
      inserts.set(insert.collection, list);
    }
  });
  if (options.dryRun) counts.updated += updates.length + guarded.length;
  await writeBatch(ctx, backups, inserts);
  if (options.dryRun) return;
  if (updates.length > 0) {
    await bulkInChunks(db.collection(collectionName), updates, 60);
    counts.updated += updates.length;
  }
  const collection = db.collection(collectionName);
  await Promise.all(
    guarded.map(async ({ filter, update }) => {
      const { matchedCount } = await collection.updateOne(filter, update);
      if (matchedCount === 1) counts.updated += 1;
      else counts.changed += 1;
    }),
  );
}
