/**
 * Attempts: every legacy attempt is copied into `attempts` (same id), and
 * every later run copies the ones the monolith recorded since, numbered by
 * time among the user's attempts at the quiz in both systems. The monolith's
 * first attempt stays the first, so no gem is granted twice; the new system
 * left their places free (its numbering counts the legacy attempts not
 * copied yet: the bridge, docs/live-migration.md).
 *
 * Memory stays flat: two cursors sorted by (quizId, userId), the legacy
 * attempts and the copied or new ones, walked side by side (a merge join),
 * so that one user's attempts at one quiz are in memory at a time and no
 * pair costs a query of its own. On MongoDB both sorts are index scans
 * (m2's `quiz_user` on quizattempts, the unique `attempt_number_unique` on
 * attempts). An attempt the new system records meanwhile can take a number
 * the walk did not see: the insert is refused by the unique index, and that
 * one attempt is numbered again from a fresh read. A place already taken by
 * another attempt (the new system numbered one while the monolith's earlier
 * attempt was not visible yet) is a conflict, reported by id: the legacy
 * attempt takes the next free number and is kept on both sides.
 */
import { ObjectId, type Document, type FindCursor } from 'mongodb';
import { legacy } from '@testmancer/contracts';
import { progressBar } from '../context';
import { checkpoint, insertCreated, type RunContext } from '../pass';
import { hexOf } from '../transform';

interface AttemptRow {
  _id: ObjectId;
  quizId?: unknown;
  userId?: unknown;
  attemptNumber?: number;
  createdAt?: unknown;
  score?: unknown;
  total?: unknown;
}

/** The pair's place in both sorts: BSON sorts anything that is not an ObjectId before ObjectIds. */
const part = (id: unknown): string => (id instanceof ObjectId ? `1${id.toHexString()}` : '0');
const pairKey = (row: AttemptRow): string => `${part(row.quizId)}:${part(row.userId)}`;
const isValidPair = (row: AttemptRow): boolean => row.quizId instanceof ObjectId && row.userId instanceof ObjectId;
const timeOf = (row: AttemptRow): number => (row.createdAt instanceof Date ? row.createdAt.getTime() : 0);
const byTime = (a: AttemptRow, b: AttemptRow): number => timeOf(a) - timeOf(b) || hexOf(a._id).localeCompare(hexOf(b._id));

/** A cursor that can be looked ahead of by one document. */
class Peeking {
  private next: AttemptRow | null | undefined;
  constructor(private readonly cursor: FindCursor<Document>) {}
  async peek(): Promise<AttemptRow | null> {
    if (this.next === undefined) this.next = (await this.cursor.next()) as AttemptRow | null;
    return this.next;
  }
  async take(): Promise<AttemptRow | null> {
    const row = await this.peek();
    this.next = undefined;
    return row;
  }
  close(): Promise<void> {
    return this.cursor.close();
  }
}

/** The rows of the next pair of a sorted cursor (empty at its end). */
async function nextGroup(cursor: Peeking): Promise<AttemptRow[]> {
  const first = await cursor.take();
  if (!first) return [];
  const group = [first];
  while ((await cursor.peek()) && pairKey((await cursor.peek())!) === pairKey(first)) group.push((await cursor.take())!);
  return group;
}

/** The rows of the sorted cursor that belong to `key`, skipping the pairs before it. */
async function groupAt(cursor: Peeking, key: string): Promise<AttemptRow[]> {
  for (let row = await cursor.peek(); row && pairKey(row) < key; row = await cursor.peek()) await cursor.take();
  const group: AttemptRow[] = [];
  for (let row = await cursor.peek(); row && pairKey(row) === key; row = await cursor.peek()) group.push((await cursor.take())!);
  return group;
}

/**
 * Numbers for legacy attempts not copied yet, by time among all the pair's
 * attempts (each place a number); a place another attempt holds is a
 * conflict, and the attempt takes the next free number.
 */
export function numberByTime(
  copied: readonly AttemptRow[],
  uncopied: readonly AttemptRow[],
): { row: AttemptRow; attemptNumber: number; outOfOrder: boolean }[] {
  const all = [...copied, ...uncopied].sort(byTime);
  const taken = new Set(copied.map((row) => row.attemptNumber));
  const numbered: { row: AttemptRow; attemptNumber: number; outOfOrder: boolean }[] = [];
  for (const row of [...uncopied].sort(byTime)) {
    const place = all.indexOf(row) + 1;
    const outOfOrder = taken.has(place);
    const attemptNumber = outOfOrder ? Math.max(0, ...[...taken].map(Number)) + 1 : place;
    taken.add(attemptNumber);
    numbered.push({ row, attemptNumber, outOfOrder });
  }
  return numbered;
}

export async function attempts(ctx: RunContext): Promise<void> {
  const { db, options, report } = ctx;
  const counts = report.counts(legacy.COLLECTIONS.attempts);
  const legacyAttempts = db.collection(legacy.COLLECTIONS.attempts);
  const copies = db.collection('attempts');
  const quizzes = db.collection('quizzes');
  const bar = progressBar('attempts', await legacyAttempts.countDocuments({}), options.progress && !options.json);
  const sort = { quizId: 1, userId: 1 } as const;
  const legacyRows = new Peeking(
    legacyAttempts.find({}, { sort, batchSize: 1000, projection: { quizId: 1, userId: 1, score: 1, total: 1, createdAt: 1 } }),
  );
  const copiedRows = new Peeking(
    copies.find({}, { sort, batchSize: 1000, projection: { quizId: 1, userId: 1, attemptNumber: 1, createdAt: 1 } }),
  );
  let quiz: { id: string; courseId: unknown } | undefined;
  let pending: Document[] = [];

  const flush = async () => {
    const docs = pending;
    pending = [];
    for (const refused of await insertCreated(ctx, 'attempts', docs, { resolves: true })) await numberAgain(ctx, refused);
    await checkpoint(ctx, legacy.COLLECTIONS.attempts, counts.read, docs[docs.length - 1]?._id);
  };

  try {
    for (let group = await nextGroup(legacyRows); group.length > 0; group = await nextGroup(legacyRows)) {
      counts.read += group.length;
      bar.increment(group.length);
      const first = group[0]!;
      const copied = await groupAt(copiedRows, pairKey(first));
      const copiedIds = new Set(copied.map((row) => hexOf(row._id)));
      const uncopied = group.filter((row) => !copiedIds.has(hexOf(row._id)));
      counts.skipped += group.length - uncopied.length;
      if (uncopied.length === 0) continue;
      const quizId = hexOf(first.quizId);
      if (quiz?.id !== quizId)
        quiz = {
          id: quizId,
          courseId: isValidPair(first)
            ? (await quizzes.findOne({ _id: first.quizId as ObjectId }, { projection: { courseId: 1 } }))?.courseId
            : undefined,
        };
      if (!quiz.courseId) {
        for (const row of uncopied)
          report.conflict({
            kind: 'orphan-attempt',
            collection: legacy.COLLECTIONS.attempts,
            id: hexOf(row._id),
            detail: `quiz ${quizId} does not exist${isValidPair(row) ? '' : ', or a quiz or user id is not an id'}; kept in quizattempts only`,
          });
        continue;
      }
      for (const { row, attemptNumber, outOfOrder } of numberByTime(copied, uncopied)) {
        if (outOfOrder) reportOutOfOrder(ctx, row, attemptNumber);
        if (copied.length > 0)
          report.detail(`attempt ${hexOf(row._id)}: copied as attempt ${attemptNumber}`, { attempt: hexOf(row._id), attemptNumber });
        pending.push(copyOf(row, quiz.courseId, attemptNumber));
      }
      if (pending.length >= options.batchSize) await flush();
    }
    await flush();
  } finally {
    bar.stop();
    await Promise.all([legacyRows.close(), copiedRows.close()]).catch(() => undefined);
  }
}

const copyOf = (row: AttemptRow, courseId: unknown, attemptNumber: number): Document => ({
  _id: row._id,
  quizId: row.quizId,
  courseId,
  userId: row.userId,
  attemptNumber,
  score: row.score,
  maxScore: row.total,
  createdAt: row.createdAt,
});

function reportOutOfOrder(ctx: RunContext, row: AttemptRow, attemptNumber: number): void {
  ctx.report.conflict({
    kind: 'attempt-out-of-order',
    collection: legacy.COLLECTIONS.attempts,
    id: hexOf(row._id),
    detail:
      `its place by time at quiz ${hexOf(row.quizId)} for user ${hexOf(row.userId)} is taken by an attempt of the new system ` +
      `(recorded before this one was visible); copied as attempt ${attemptNumber}, both kept`,
  });
}

/** A copy the unique number index refused: another attempt took the number meanwhile. Numbered again from what is stored now. */
async function numberAgain(ctx: RunContext, doc: Document): Promise<void> {
  const copies = ctx.db.collection('attempts');
  const pair = { quizId: doc.quizId as ObjectId, userId: doc.userId as ObjectId };
  for (let round = 0; round < 5; round++) {
    const stored = (await copies.find(pair, { projection: { attemptNumber: 1, createdAt: 1 } }).toArray()) as AttemptRow[];
    const [numbered] = numberByTime(stored, [doc as AttemptRow]);
    if (numbered!.outOfOrder) reportOutOfOrder(ctx, doc as AttemptRow, numbered!.attemptNumber);
    const refused = await insertCreated(ctx, 'attempts', [{ ...doc, attemptNumber: numbered!.attemptNumber }], { resolves: true });
    if (refused.length === 0) return;
  }
  ctx.report.problem(`attempt ${hexOf(doc._id)}: no free number after 5 tries; kept in quizattempts only, run again`);
}
