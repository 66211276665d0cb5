/**
 * `migrate:rollback-structured-courses` (and structured-courses' down): the
 * monolith gets back everything, including what happened in the new system
 * after go-live, in legacy shape (docs/live-migration.md).
 *
 * - Users: `earnedGems` removed; `gems` becomes the balance at rollback
 *   time: the legacy `gems` as it is now (the monolith's own payouts, caught
 *   up or not) plus what the new system granted. Those grants stay in the
 *   ledger, marked as part of the legacy balance, so a later migration does
 *   not count them twice.
 * - Courses and quizzes nobody changed in the new shape lose the fields the
 *   migration added and keep every legacy field as it is now: the exact
 *   backed-up document when the monolith did not change it either. Those
 *   authors changed (or created) keep their new shape and get their legacy
 *   fields from it (title, publication, category, modules with their lessons,
 *   a quiz's module, lesson and gems); what the legacy shape cannot hold
 *   stays in the new fields and is listed.
 * - Attempts made in the new system are appended to `quizattempts` (same
 *   id), so the monolith knows the first attempt happened; the copies the
 *   migration made are removed.
 * - What the migration created (pages of restored courses, ledger entries of
 *   legacy balances, attempt copies) is removed; a balance the gems service
 *   kept is counted again from the entries that remain.
 *
 * Run again after a crash, it continues: each user's fold is planned in a
 * record first, then applied with the user document as the marker of where
 * it stopped. With --dry-run it writes nothing and lists what it would fold
 * back.
 */
import { legacy } from '@testmancer/contracts';
import { BSON, ObjectId, type Collection, type Db, type Document, type Filter, type WithId } from 'mongodb';
import { inBatches, STATE, UsageError } from '../context';
import { byId, insertNew, type BackupDocument, type RunContext } from '../pass';
import { restoreExactly } from '../restore';
import { digest, legacyDigests, newShapeUntouched, quizDigest, unitShape, type CourseSync, type QuizSync } from '../sync';
import { categoryKey, hexOf, parseGems, unitIdOf, type LegacyCourse, type UnitDocument } from '../transform';

const RAW = { promoteValues: false, promoteBuffers: false, promoteLongs: false } as const;
const ROLLBACK = 'structured-courses:rollback';

/** The documents as the rollback reads them: every field it uses, checked before it is trusted. */
interface UserDocument {
  _id: ObjectId;
  gems?: unknown;
  earnedGems?: number;
  rollbackFold?: string;
}
interface GrantDocument {
  _id: ObjectId;
  userId: string;
  amount: number;
  inLegacyGems?: boolean;
  source?: string;
  applied?: boolean;
}
interface BalanceDocument {
  _id: string;
  earnedGems: number;
  version: number;
  /** The entry its last change added: counted, though possibly not marked applied (the gems service marks it at the next grant). */
  lastGrantId?: ObjectId;
}
interface PageDocument {
  _id: ObjectId;
  courseId?: unknown;
  title?: string;
  version: number;
  blocks?: { type: string; markdown?: string; tone?: string; url?: string }[];
  media?: { kind?: string; url?: string; providerId?: string }[];
}
interface CourseDocument extends Omit<LegacyCourse, 'published' | 'category'> {
  category?: unknown;
  published?: unknown;
  status?: string;
  categoryId?: unknown;
  structure?: { unitType?: string };
  units?: UnitDocument[];
  version?: number;
  lastPageVersion?: number;
  migrationSync?: CourseSync;
}
interface QuizDocument {
  _id: ObjectId;
  courseId?: unknown;
  moduleId?: unknown;
  trigger?: string;
  pageId?: unknown;
  afterLesson?: unknown;
  gemReward?: number;
  questions?: unknown;
  version?: number;
  migrationSync?: QuizSync;
}
interface AttemptDocument {
  _id: ObjectId;
  userId: unknown;
  quizId: unknown;
  score: unknown;
  maxScore: unknown;
  createdAt: unknown;
}

/** Fields the migration adds to a course, and to a quiz. */
const COURSE_FIELDS = ['categoryId', 'status', 'structure', 'units', 'version', 'lastPageVersion', 'migrationSync'];
const QUIZ_FIELDS = ['trigger', 'pageOrder', 'pageId', 'orphaned', 'migrationSync'];

export async function rollback(ctx: RunContext): Promise<void> {
  const { db, options } = ctx;
  const unbacked = await db.collection(STATE.runs).findOne({ migrations: ctx.migration, backup: false, outcome: { $ne: 'dry-run' } });
  if (unbacked && !options.dryRun) {
    throw new UsageError(
      `run ${String(unbacked._id)} applied ${ctx.migration} with --no-backup: what it created cannot be told from what the new system wrote; restore the database from your own backup`,
    );
  }
  await users(ctx);
  await courses(ctx);
  await quizzes(ctx);
  await removeCreated(ctx, 'pages', await pagesOfStrippedCourses(ctx));
  await removeCreated(ctx, 'attempts');
  await appendNewAttempts(ctx);
  // Entries of users the monolith no longer has: nobody's balance.
  await removeCreated(ctx, 'gemgrants');
  // Only once everything is back: a rollback killed midway is simply run again.
  if (!options.dryRun && ctx.report.problems.length === 0)
    await db.collection(STATE.backups).deleteMany({ migration: { $in: [ctx.migration, ROLLBACK] } });
}

/** Streams a collection in batches of the run's size. */
const eachBatch = <T extends Document>(ctx: RunContext, name: string, filter: Filter<T>, each: (docs: WithId<T>[]) => Promise<void>) =>
  inBatches(ctx.db, name, ctx.options, { filter, label: `rollback ${name}` }, each);

// ---------------------------------------------------------------- users

interface FoldPlan {
  _id: string;
  migration: typeof ROLLBACK;
  userId: string;
  /** What the new system granted that the legacy `gems` does not hold: added to it. */
  amount: number;
  entryIds: ObjectId[];
  savedAt: Date;
}

/** The filter that matches a user's `gems` only while it still is the value read (the monolith may change it meanwhile). */
const gemsStill = (gems: unknown): Filter<UserDocument> => (gems === undefined ? { gems: { $exists: false } } : { gems });

async function users(ctx: RunContext): Promise<void> {
  const { db, options, report } = ctx;
  const counts = report.counts('users');
  const grants = db.collection<GrantDocument>('gemgrants');
  await eachBatch<UserDocument>(ctx, 'users', {}, async (docs) => {
    await Promise.all(
      docs.map(async (user) => {
        counts.read += 1;
        const userId = hexOf(user._id);
        const entries = await grants.find({ userId }, { projection: { amount: 1, inLegacyGems: 1, source: 1 } }).toArray();
        const granted = entries.filter((entry) => entry.inLegacyGems !== true);
        const migrated = entries.filter((entry) => entry.source === legacy.MIGRATION_GRANT_SOURCE);
        if (granted.length === 0 && migrated.length === 0 && user.earnedGems === undefined) return;
        const amount = granted.reduce((sum, entry) => sum + Number(entry.amount), 0);
        const gems = parseGems(user.gems).gems;
        if (amount !== 0)
          report.detail(`user ${userId}: gems ${gems} → ${gems + amount}`, { user: userId, gems: { from: gems, to: gems + amount } });
        counts.restored += 1;
        if (options.dryRun) {
          report.counts('gemgrants').deleted += migrated.length;
          return;
        }
        await foldGems(ctx, user, granted, amount);
        await dropMigratedEntries(ctx, userId, migrated);
      }),
    );
  });
}

/**
 * One user's gems, resumable: the plan (the amount the new system granted,
 * and which entries) is recorded first; the user's `gems` then moves with a
 * marker field in the same write, the entries are marked as part of the
 * legacy balance, and the marker goes. A rerun finds where it stopped.
 */
async function foldGems(ctx: RunContext, read: UserDocument, granted: GrantDocument[], amount: number): Promise<void> {
  const usersCollection = ctx.db.collection<UserDocument>('users');
  const plans = ctx.db.collection<FoldPlan>(STATE.backups);
  const grants = ctx.db.collection<GrantDocument>('gemgrants');
  const userId = hexOf(read._id);
  const planId = `${ROLLBACK}:users:${userId}`;
  if (granted.length === 0 && !(await plans.findOne({ _id: planId }, { projection: { _id: 1 } }))) {
    // Nothing granted in the new system: the legacy gems are the balance; only the migration's field goes.
    if (read.earnedGems !== undefined) await usersCollection.updateOne({ _id: read._id }, { $unset: { earnedGems: '' } });
    return;
  }
  await insertNew(plans as unknown as Collection<Document>, [
    { _id: planId, migration: ROLLBACK, userId, amount, entryIds: granted.map((e) => e._id), savedAt: new Date() },
  ]);
  const plan = (await plans.findOne({ _id: planId }))!;
  const marked = await Promise.all(plan.entryIds.map((_id) => grants.findOne({ _id, inLegacyGems: true }, { projection: { _id: 1 } })));
  for (let user = read; marked.some((entry) => entry === null) && user.rollbackFold === undefined;) {
    const { matchedCount } = await usersCollection.updateOne(
      { _id: user._id, ...gemsStill(user.gems), rollbackFold: { $exists: false } },
      { $set: { gems: parseGems(user.gems).gems + plan.amount, rollbackFold: ctx.runId }, $unset: { earnedGems: '' } },
    );
    if (matchedCount === 1) break;
    // The monolith changed the gems meanwhile (or an earlier try landed): read again.
    const again = await usersCollection.findOne({ _id: read._id });
    if (!again) return;
    user = again;
  }
  for (const _id of plan.entryIds) await grants.updateOne({ _id }, { $set: { inLegacyGems: true } });
  await usersCollection.updateOne({ _id: read._id }, { $unset: { rollbackFold: '' } });
}

/**
 * The ledger entries of legacy balances go (their amounts are in `gems`),
 * and the user's balance (the gems service's sum of applied entries) is
 * counted again from what remains, by compare-and-set on its version, so a
 * grant applied meanwhile is neither lost nor counted twice. The balance's
 * last entry is counted but may not be marked applied yet: it is marked
 * first, as the gems service would before replacing it. An entry not applied
 * yet is left to the gems service (its caller's retry, or its repair).
 */
async function dropMigratedEntries(ctx: RunContext, userId: string, migrated: GrantDocument[]): Promise<void> {
  const grants = ctx.db.collection<GrantDocument>('gemgrants');
  const balances = ctx.db.collection<BalanceDocument>('gembalances');
  for (const entry of migrated) ctx.report.counts('gemgrants').deleted += (await grants.deleteOne({ _id: entry._id })).deletedCount;
  for (let round = 0; round < 10; round++) {
    const balance = await balances.findOne({ _id: userId });
    if (!balance) return;
    if (balance.lastGrantId) await grants.updateOne({ _id: balance.lastGrantId }, { $set: { applied: true } });
    const applied = await grants.find({ userId, applied: true }, { projection: { amount: 1 } }).toArray();
    const earnedGems = applied.reduce((sum, entry) => sum + Number(entry.amount), 0);
    if (balance.earnedGems === earnedGems) return;
    const { matchedCount } = await balances.updateOne(
      { _id: userId, version: balance.version },
      { $set: { earnedGems, updatedAt: new Date() }, $inc: { version: 1 }, $unset: { lastGrantId: '' } },
    );
    if (matchedCount === 1) return;
  }
  ctx.report.problem(`user ${userId}: the gem balance kept changing while the rollback counted it again; run the rollback again`);
}

// ---------------------------------------------------------------- courses

/** A unit's pages in legacy shape: lessons, and what a lesson cannot hold. */
function lessonsOf(pages: PageDocument[]): { lessons: Document[]; lost: string[] } {
  const lost: string[] = [];
  const lessons = pages.map((page) => {
    const text: string[] = [];
    for (const block of page.blocks ?? []) {
      if (block.type === 'markdown') text.push(block.markdown ?? '');
      else if (block.type === 'callout') {
        text.push(block.markdown ?? '');
        lost.push(`page ${hexOf(page._id)}: a ${String(block.tone)} callout kept as plain text`);
      } else if (block.type === 'embed') lost.push(`page ${hexOf(page._id)}: embed ${String(block.url)} (kept in the page)`);
    }
    const media = (page.media ?? [])
      .filter((m) => m.url && (m.kind === 'image' || m.kind === 'video'))
      .map((m) => ({ url: m.url, type: m.kind, ...(m.providerId ? { publicId: m.providerId } : {}) }));
    return { title: page.title, body: text.join('\n\n'), ...(media.length ? { media } : {}) };
  });
  return { lessons, lost };
}

/**
 * The legacy fields a course's new shape gives (title and description are
 * the same fields in both shapes): publication, category, and the modules,
 * one per unit in the units' order, with one lesson per page. A module whose
 * unit authors did not change stays as the monolith has it; one the monolith
 * changed since the last run while authors changed its unit is a conflict,
 * and the monolith's stays. When the monolith changed the course's structure
 * (modules, order, category, publication) since the last run, all of its
 * legacy fields stay.
 */
async function legacyFieldsOf(
  db: Db,
  course: CourseDocument,
  sync: CourseSync | undefined,
  report: (kind: 'not-representable' | 'edited-on-both-sides', detail: string) => void,
): Promise<{ set: Document; conflicted: 'course' | Set<string> }> {
  const units = course.units ?? [];
  const legacyModules = Array.isArray(course.modules) ? course.modules : [];
  const now = legacyDigests(course as LegacyCourse);
  if (sync && now.structure !== sync.structure) {
    report(
      'edited-on-both-sides',
      "the monolith changed the course's modules, order, category or publication since the last migration run, and authors changed it: the monolith's legacy fields stay, the authors' units and pages stay in the course's new fields",
    );
    return { set: {}, conflicted: 'course' };
  }
  const pages = db.collection<PageDocument>('pages');
  const modules: Document[] = [];
  const conflicted = new Set<string>();
  let changed = units.length !== legacyModules.length;
  for (const [k, unit] of units.entries()) {
    const unitId = unit._id.toHexString();
    const unitSync = sync?.units.find((u) => u.id.equals(unit._id));
    const legacyModule = legacyModules.find((m, i) => unitIdOf(course._id, m, i).equals(unit._id));
    const pageDocs = (await Promise.all(unit.pageIds.map((_id) => pages.findOne({ _id })))).flatMap((page) => (page ? [page] : []));
    const untouched =
      legacyModule !== undefined &&
      unitSync !== undefined &&
      unitShape(unit) === unitSync.shape &&
      pageDocs.every((page) => page.version <= (sync?.pageVersion ?? 0));
    const monolithChanged = legacyModule !== undefined && unitSync !== undefined && now.modules.get(unitId) !== unitSync.legacy;
    if (monolithChanged && !untouched) {
      conflicted.add(unitId);
      report(
        'edited-on-both-sides',
        `module ${unitId}: changed in the monolith and by authors; the monolith's stays, the unit stays in the course's new fields`,
      );
    }
    if (legacyModule && (untouched || monolithChanged)) {
      changed ||= sync?.units.findIndex((u) => u.id.equals(unit._id)) !== k;
      modules.push(legacyModule);
      continue;
    }
    changed = true;
    const folded = lessonsOf(pageDocs);
    for (const detail of folded.lost) report('not-representable', detail);
    modules.push({ _id: unit._id, title: unit.title, lessons: folded.lessons });
  }
  const set: Document = {};
  // In the units' order: every module's `order` is its position once one of them moved or was rebuilt.
  if (changed) set.modules = modules.map((module, k) => ({ ...module, order: k + 1 }));
  if ((course.published === true) !== (course.status === 'published')) set.published = course.status === 'published';
  if (course.status === 'archived') report('not-representable', 'status archived: the monolith shows it unpublished');
  const unitType = course.structure?.unitType;
  if (unitType && unitType !== 'module') report('not-representable', `unit type ${unitType}: the monolith says modules`);
  const category =
    course.categoryId instanceof ObjectId
      ? await db.collection<{ _id: ObjectId; key?: string; name?: string }>('categories').findOne({ _id: course.categoryId })
      : null;
  if (category && categoryKey(typeof course.category === 'string' ? course.category : '') !== category.key) set.category = category.name;
  return { set, conflicted };
}

/**
 * Every course the migration or the new system shaped: stripped of the new
 * fields when authors left it as the migration wrote it, folded into its
 * legacy fields otherwise.
 */
async function courses(ctx: RunContext): Promise<void> {
  const { db, options, report } = ctx;
  const counts = report.counts('courses');
  const collection = db.collection<CourseDocument>('courses');
  await eachBatch<CourseDocument>(ctx, 'courses', { structure: { $exists: true } }, async (docs) => {
    for (const course of docs) {
      counts.read += 1;
      const id = hexOf(course._id);
      const sync = course.migrationSync;
      if (sync && newShapeUntouched(course, sync)) {
        counts.restored += 1;
        if (!options.dryRun)
          await collection.updateOne({ _id: course._id }, { $unset: Object.fromEntries(COURSE_FIELDS.map((f) => [f, ''])) });
        continue;
      }
      const { set, conflicted } = await legacyFieldsOf(db, course, sync, (kind, detail) =>
        report.conflict({ kind, collection: 'courses', id, detail }),
      );
      report.detail(`course ${id}: edited in the new shape, folded into its legacy fields`, { course: id, folded: Object.keys(set) });
      counts.updated += 1;
      if (options.dryRun) continue;
      // The marker: in step with the fold, except where it was a conflict (the next migration run reports it again).
      if (conflicted === 'course') continue;
      const folded = legacySync({ ...course, ...set } as LegacyCourse, course.units ?? []);
      const migrationSync: CourseSync = {
        ...folded,
        units: folded.units.map((unit) => sync?.units.find((u) => conflicted.has(unit.id.toHexString()) && u.id.equals(unit.id)) ?? unit),
        version: course.version ?? 0,
        pageVersion: course.lastPageVersion ?? 0,
      };
      await collection.updateOne({ _id: course._id, version: course.version }, { $set: { ...set, migrationSync } });
    }
  });
}

/**
 * Whether a page the migration created goes: when its course was stripped
 * (no new fields any more; a dry run looks at what it would strip). Pages
 * come in the order they were created, a course's together: one read each.
 */
async function pagesOfStrippedCourses(ctx: RunContext): Promise<(page: Document) => Promise<boolean>> {
  const courses = ctx.db.collection<CourseDocument>('courses');
  let last: { id: string; stripped: boolean } | undefined;
  return async (page) => {
    const courseId: unknown = page.courseId;
    const id = hexOf(courseId);
    if (last?.id !== id) {
      const course = courseId instanceof ObjectId ? await courses.findOne({ _id: courseId }) : null;
      const sync = course?.migrationSync;
      const stripped =
        !course || course.structure === undefined || (ctx.options.dryRun && sync !== undefined && newShapeUntouched(course, sync));
      last = { id, stripped };
    }
    return last.stripped;
  };
}

/** The marker of a folded course: its legacy side as the fold wrote it, its units as they are. */
function legacySync(course: LegacyCourse, units: readonly UnitDocument[]): Omit<CourseSync, 'version' | 'pageVersion'> {
  const { structure, modules } = legacyDigests(course);
  return {
    structure,
    units: units.map((unit) => ({ id: unit._id, legacy: modules.get(unit._id.toHexString()) ?? '', shape: unitShape(unit) })),
  };
}

// ---------------------------------------------------------------- quizzes

async function quizzes(ctx: RunContext): Promise<void> {
  const { db, options, report } = ctx;
  const counts = report.counts('quizzes');
  const collection = db.collection<QuizDocument>('quizzes');
  const coursesCollection = db.collection<CourseDocument>('courses');
  const backups = db.collection<BackupDocument>(STATE.backups);
  await eachBatch<QuizDocument>(ctx, 'quizzes', { trigger: { $exists: true } }, async (docs) => {
    for (const quiz of docs) {
      counts.read += 1;
      const id = hexOf(quiz._id);
      const sync = quiz.migrationSync;
      const course = quiz.courseId instanceof ObjectId ? await coursesCollection.findOne({ _id: quiz.courseId }) : null;
      const untouched = sync !== undefined && (quiz.version ?? null) === sync.version;
      if (untouched && course?.structure === undefined) {
        counts.restored += 1;
        if (!options.dryRun) await stripQuiz(ctx, collection, quiz, await backups.findOne({ _id: `${ctx.migration}:quizzes:${id}` }, RAW));
        continue;
      }
      const { set, unset, lost } = quizLegacyFields(quiz, course);
      for (const detail of lost) report.conflict({ kind: 'not-representable', collection: 'quizzes', id, detail });
      report.detail(`quiz ${id}: kept in its new shape, folded into its legacy fields`, { quiz: id, folded: Object.keys(set) });
      counts.updated += 1;
      if (options.dryRun) continue;
      const folded: Document = { ...quiz, ...set };
      for (const field of unset) delete folded[field];
      const migrationSync: QuizSync = { legacy: quizDigest(folded), version: quiz.version ?? null };
      await collection.updateOne(
        { _id: quiz._id, version: quiz.version === undefined ? { $exists: false } : quiz.version },
        { $set: { ...set, migrationSync }, ...(unset.length ? { $unset: Object.fromEntries(unset.map((f) => [f, ''])) } : {}) },
      );
    }
  });
}

/**
 * A quiz nobody edited in the new shape: the fields the migration added go,
 * its questions lose their ids. When its legacy fields are then those of the
 * backup, the backup is written back exactly (the migration rewrote the
 * questions, and a whole number stored as a double came back as an int).
 */
async function stripQuiz(
  { report }: RunContext,
  collection: Collection<QuizDocument>,
  quiz: QuizDocument,
  backup: BackupDocument | null,
): Promise<void> {
  const added = QUIZ_FIELDS.filter((field) => field in quiz);
  const original = backup?.doc;
  if (original && !('moduleId' in original)) added.push('moduleId');
  const raw = await collection.findOne({ _id: quiz._id }, { projection: { questions: 1 }, ...RAW });
  await collection.updateOne(
    { _id: quiz._id },
    { $set: { questions: withoutIds(raw?.questions) }, ...(added.length ? { $unset: Object.fromEntries(added.map((f) => [f, ''])) } : {}) },
  );
  if (!original) return;
  const now = await collection.findOne({ _id: quiz._id });
  if (
    now &&
    digest(now) === digest(BSON.deserialize(BSON.serialize(original))) &&
    !(await restoreExactly(collection as unknown as Collection<Document>, original))
  )
    report.problem(`quizzes/${hexOf(quiz._id)}: restored document differs from its backup`);
}

/** Questions without the ids the migration or the new system gave them (raw values: number types kept). */
function withoutIds(questions: unknown): unknown {
  if (!Array.isArray(questions)) return questions;
  return questions.map((q: unknown) => {
    if (typeof q !== 'object' || q === null) return q;
    const { id: _id, ...rest } = q as Record<string, unknown>;
    return rest;
  });
}

/** What a quiz's new shape gives its legacy fields: module, lesson (a page quiz), gems. */
function quizLegacyFields(quiz: QuizDocument, course: CourseDocument | null): { set: Document; unset: string[]; lost: string[] } {
  const set: Document = {};
  const unset: string[] = [];
  const lost: string[] = [];
  if (quiz.gemReward !== undefined) set.gems = quiz.gemReward;
  const questions: unknown[] = Array.isArray(quiz.questions) ? (quiz.questions as unknown[]) : [];
  for (const question of questions as { type?: unknown; id?: unknown }[])
    if (question.type === 'number')
      lost.push(`question ${String(question.id)}: a number question (the monolith has choice questions only)`);
  const { moduleId, pageId } = quiz;
  if (quiz.trigger !== 'page' || !(pageId instanceof ObjectId) || !(moduleId instanceof ObjectId)) {
    if (quiz.afterLesson !== undefined) unset.push('afterLesson');
    return { set, unset, lost };
  }
  const unit = (course?.units ?? []).find((u) => u._id.equals(moduleId));
  const position = unit ? unit.pageIds.findIndex((id) => id.equals(pageId)) : -1;
  const module = course && (course.modules ?? []).find((m, i) => unitIdOf(course._id, m, i).equals(moduleId));
  const afterLesson = position - (typeof module?.content === 'string' ? 1 : 0);
  if (position < 0 || afterLesson < 0) {
    lost.push('a page quiz the monolith cannot place after a lesson: it shows it after its module');
    if (quiz.afterLesson !== undefined) unset.push('afterLesson');
  } else set.afterLesson = afterLesson;
  return { set, unset, lost };
}

// ---------------------------------------------------------------- created documents, attempts

/** Deletes what the migration created in a collection (a document `remove` says no to stays). */
async function removeCreated(
  ctx: RunContext,
  collection: string,
  remove: (doc: Document) => boolean | Promise<boolean> = () => true,
): Promise<void> {
  const { db, options, report } = ctx;
  const counts = report.counts(collection);
  const target = db.collection(collection);
  await eachBatch<BackupDocument>(ctx, STATE.backups, { migration: ctx.migration, collection, created: true }, async (backups) => {
    const docs = await Promise.all(backups.map((backup) => target.findOne(byId(backup.docId))));
    const going: Document[] = [];
    for (const doc of docs) if (doc && (await remove(doc))) going.push(doc);
    counts.deleted += going.length;
    if (!options.dryRun) await Promise.all(going.map((doc) => target.deleteOne(byId(doc._id as unknown))));
  });
}

/** Attempts the new system recorded (every one left once the copies are gone) into `quizattempts`, in legacy shape. */
async function appendNewAttempts(ctx: RunContext): Promise<void> {
  const { db, options, report } = ctx;
  const counts = report.counts(legacy.COLLECTIONS.attempts);
  const target = db.collection(legacy.COLLECTIONS.attempts);
  await eachBatch<AttemptDocument>(ctx, 'attempts', {}, async (docs) => {
    const copies = docs.map((a) => ({
      _id: a._id,
      userId: a.userId,
      quizId: a.quizId,
      score: a.score,
      total: a.maxScore,
      createdAt: a.createdAt,
    }));
    if (options.dryRun) {
      const there = await Promise.all(copies.map((c) => target.findOne({ _id: c._id }, { projection: { _id: 1 } })));
      counts.inserted += there.filter((t) => t === null).length;
      return;
    }
    counts.inserted += (await insertNew(target, copies)).inserted;
  });
  if (counts.inserted > 0)
    report.notes.push(
      `${counts.inserted} attempt(s) made in the new system ${options.dryRun ? 'would be appended' : 'appended'} to quizattempts`,
    );
}
