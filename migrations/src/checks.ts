/**
 * The read-only checks: verify (against the legacy fields and the backup),
 * validate:course-structures and validate:quiz-triggers. Each is one
 * streaming pass per collection, with reads by `_id` for what a document
 * points to; a failed check is a problem in the report (exit code 1).
 */
import { BSON, ObjectId, type Db, type Document } from 'mongodb';
import { inBatches, STATE, type Options, type Report } from './context';
import { byId } from './pass';
import { legacyChanges, newShapeUntouched, quizDigest, type CourseSync, type QuizSync } from './sync';
import { parseGems, structureCourse, type LegacyCourse } from './transform';

export const UNIT_TYPES = ['unit', 'module', 'chapter', 'week', 'lesson'];
const hex = (id: unknown) => (id instanceof ObjectId ? id.toHexString() : String(id));
const RAW = { promoteValues: false, promoteBuffers: false, promoteLongs: false } as const;

/** A stored course's structure as the checks read it: every field is checked before it is trusted. */
interface StoredStructure {
  unitType?: unknown;
  unitCount?: unknown;
}
interface StoredUnit {
  _id?: unknown;
  pageIds?: unknown;
}

const stream = (db: Db, name: string, options: Options, each: (docs: Document[]) => void | Promise<void>, projection?: Document) =>
  inBatches(db, name, options, { projection }, each);

/** Structure fields valid, unit count and order consistent (no legacy comparison). */
export function courseStructureProblems(course: Document): string[] {
  const id = hex(course._id);
  const problems: string[] = [];
  if (!course.structure) return [`course ${id}: no structure fields`];
  const structure = course.structure as StoredStructure;
  if (typeof structure.unitType !== 'string' || !UNIT_TYPES.includes(structure.unitType))
    problems.push(`course ${id}: unitType ${JSON.stringify(structure.unitType)} is not one of ${UNIT_TYPES.join(', ')}`);
  if (!Array.isArray(course.units)) return [...problems, `course ${id}: no units array`];
  const units = course.units as StoredUnit[];
  if (structure.unitCount !== units.length)
    problems.push(`course ${id}: unitCount ${String(structure.unitCount)} but ${units.length} unit(s)`);
  const ids = units.map((u) => hex(u._id));
  if (new Set(ids).size !== ids.length) problems.push(`course ${id}: a unit appears twice in the unit order`);
  for (const unit of units) {
    if (!(unit._id instanceof ObjectId) || !Array.isArray(unit.pageIds))
      problems.push(`course ${id}: unit ${hex(unit._id)} has no id or no page order`);
    else if (new Set(unit.pageIds.map(hex)).size !== unit.pageIds.length)
      problems.push(`course ${id}: unit ${hex(unit._id)} lists a page twice`);
  }
  return problems;
}

export async function validateCourseStructures(db: Db, options: Options, report: Report): Promise<void> {
  const counts = report.counts('courses');
  await stream(
    db,
    'courses',
    options,
    (docs) => {
      for (const course of docs) {
        counts.read += 1;
        for (const problem of courseStructureProblems(course)) report.problem(problem);
      }
    },
    { structure: 1, units: 1 },
  );
}

export async function validateQuizTriggers(db: Db, options: Options, report: Report): Promise<void> {
  const counts = report.counts('quizzes');
  const courses = db.collection('courses');
  let orphans = 0;
  await stream(db, 'quizzes', options, async (docs) => {
    const ids = [...new Set(docs.map((q) => hex(q.courseId)))];
    const found = new Map<string, Document | null>();
    await Promise.all(
      ids.map(async (id) =>
        found.set(id, ObjectId.isValid(id) ? await courses.findOne({ _id: new ObjectId(id) }, { projection: { units: 1 } }) : null),
      ),
    );
    for (const quiz of docs) {
      counts.read += 1;
      const id = hex(quiz._id);
      const course = found.get(hex(quiz.courseId));
      if (quiz.orphaned === true) {
        orphans += 1;
        report.conflict({ kind: 'orphan-quiz-module', collection: 'quizzes', id, detail: 'marked orphaned: kept, not shown to students' });
        continue;
      }
      if (quiz.trigger !== 'unit' && quiz.trigger !== 'page') {
        report.problem(`quiz ${id}: trigger ${JSON.stringify(quiz.trigger ?? null)} is neither unit nor page`);
        continue;
      }
      if (!(quiz.moduleId instanceof ObjectId)) {
        report.problem(`quiz ${id}: a ${quiz.trigger} quiz without moduleId`);
        continue;
      }
      if (quiz.trigger === 'page' && !(typeof quiz.pageOrder === 'number' || quiz.pageId instanceof ObjectId))
        report.problem(`quiz ${id}: a page quiz without pageOrder`);
      if (!course) {
        report.problem(`quiz ${id}: course ${hex(quiz.courseId)} does not exist and the quiz is not marked orphaned`);
        continue;
      }
      const unit = Array.isArray(course.units) ? (course.units as StoredUnit[]).find((u) => hex(u._id) === hex(quiz.moduleId)) : undefined;
      if (!unit)
        report.problem(`quiz ${id}: unit ${hex(quiz.moduleId)} is not in course ${hex(quiz.courseId)} and the quiz is not marked orphaned`);
      else if (
        quiz.trigger === 'page' &&
        typeof quiz.pageOrder === 'number' &&
        !(Array.isArray(unit.pageIds) && quiz.pageOrder >= 1 && quiz.pageOrder <= unit.pageIds.length)
      )
        report.problem(`quiz ${id}: pageOrder ${quiz.pageOrder} is not a page of unit ${hex(quiz.moduleId)}`);
    }
  });
  report.notes.push(`${orphans} quiz(zes) marked orphaned (kept, listed above, never shown to students)`);
}

/**
 * verify: every course has structure fields, its units and pages are what its
 * legacy modules give (nothing dropped) unless authors changed them since,
 * every quiz has its trigger, every user's legacy gems are in the ledger, and
 * every legacy document is in step with its new shape: what production
 * changed since the last run is reported, for the catch-up to bring over.
 */
export async function verifyStructuredCourses(db: Db, options: Options, report: Report): Promise<void> {
  const pages = db.collection('pages');
  const courseCounts = report.counts('courses');
  let notCaughtUp = 0;
  const behind = (what: string) => {
    notCaughtUp += 1;
    report.problem(`${what} changed in the monolith since the last migration run: run npm run migrate:structured-courses to bring it over`);
  };
  await stream(db, 'courses', options, async (docs) => {
    await Promise.all(
      docs.map(async (course) => {
        courseCounts.read += 1;
        const id = hex(course._id);
        const structural = courseStructureProblems(course);
        if (structural.length) return structural.forEach((p) => report.problem(p));
        const sync = course.migrationSync as CourseSync | undefined;
        // Made in the new shape: no legacy modules to compare with.
        if (!sync) return;
        const changes = legacyChanges(course as LegacyCourse, sync);
        if (changes.structure || changes.modules.length > 0) return behind(`course ${id}`);
        const expected = structureCourse(course as LegacyCourse);
        const units = course.units as Document[];
        const unmodified = newShapeUntouched(course, sync);
        if (unmodified && expected.fields.units.length !== units.length)
          return report.problem(`course ${id}: ${units.length} unit(s) for ${expected.fields.units.length} legacy module(s)`);
        if (!unmodified) return;
        for (const unit of units) {
          for (const pageId of unit.pageIds as ObjectId[]) {
            const stored = await pages.findOne({ _id: pageId }, { projection: { blocks: 1 } });
            const page = expected.pages.find((p) => p._id.equals(pageId));
            if (!stored) report.problem(`course ${id}: page ${pageId.toHexString()} of unit ${hex(unit._id)} is missing`);
            else if (!page || JSON.stringify(stored.blocks) !== JSON.stringify(page.blocks))
              report.problem(`course ${id}: page ${pageId.toHexString()} does not hold its legacy content`);
          }
        }
      }),
    );
  });
  const quizCounts = report.counts('quizzes');
  await stream(db, 'quizzes', options, (docs) => {
    for (const quiz of docs) {
      quizCounts.read += 1;
      if (quiz.trigger !== 'unit' && quiz.trigger !== 'page') report.problem(`quiz ${hex(quiz._id)}: no trigger`);
      else if (quiz.migrationSync && quizDigest(quiz) !== (quiz.migrationSync as QuizSync).legacy) behind(`quiz ${hex(quiz._id)}`);
    }
  });
  const users = report.counts('users');
  await stream(
    db,
    'users',
    options,
    (docs) => {
      for (const user of docs) {
        users.read += 1;
        if (typeof user.earnedGems !== 'number') report.problem(`user ${hex(user._id)}: no earnedGems`);
        else if (user.earnedGems !== parseGems(user.gems).gems) behind(`user ${hex(user._id)}'s legacy gems`);
        if (typeof user.role !== 'string' || !['admin', 'subadmin', 'student'].includes(user.role))
          report.problem(`user ${hex(user._id)}: role ${JSON.stringify(user.role)} is not normalized`);
      }
    },
    { earnedGems: 1, gems: 1, role: 1 },
  );
  // The backup: every touched document is still there. Its legacy fields may differ from the original by production's own writes.
  const backups = report.counts(STATE.backups);
  let changedFields = 0;
  let batch: Document[] = [];
  const check = async () => {
    await Promise.all(
      batch.map(async (backup) => {
        backups.read += 1;
        const current = await db.collection(String(backup.collection)).findOne(byId(backup.docId), RAW);
        if (!current) return report.problem(`${backup.collection}/${hex(backup.docId)}: backed up but no longer there`);
        for (const [field, value] of Object.entries<unknown>(backup.doc as Document)) {
          if (backup.collection === 'quizzes' && field === 'questions') continue; // question ids were added to each question
          const a = BSON.serialize({ v: value });
          const currentValue: unknown = current[field];
          const b = BSON.serialize({ v: currentValue });
          if (!Buffer.from(a).equals(Buffer.from(b))) changedFields += 1;
        }
      }),
    );
    batch = [];
  };
  for await (const backup of db.collection(STATE.backups).find({ migration: 'structured-courses', created: { $exists: false } }, RAW)) {
    batch.push(backup);
    if (batch.length >= options.batchSize) await check();
  }
  await check();
  if (backups.read === 0) report.notes.push('no backup of structured-courses found: only the structure was verified');
  report.notes.push(
    `${changedFields} legacy field(s) of backed-up documents changed since the backup (production's own writes; ${notCaughtUp} document(s) not caught up yet)`,
  );
}
