/**
 * Quizzes: trigger, unit, page and question ids from the legacy fields and
 * the course's placements, then, on every later run, again for a quiz whose
 * legacy fields the monolith changed or whose course the catch-up rewrote,
 * unless authors edited the quiz in the new shape (a conflict, reported).
 */
import { ObjectId, type Document } from 'mongodb';
import { runPass, type Plan, type RunContext } from '../pass';
import { quizDigest, quizUntouched, type QuizSync } from '../sync';
import { hexOf, quizTrigger, structureCourse, type LegacyCourse, type LegacyQuiz, type ModulePlacement } from '../transform';
import type { CourseRun } from './courses';

/**
 * Fields only the migration writes; those a new derivation does not set are
 * removed. `moduleId` is not one of them: it is the legacy field too (an
 * orphan keeps the one the monolith wrote).
 */
const DERIVED_FIELDS = ['pageOrder', 'pageId', 'orphaned'] as const;

export async function quizzes(ctx: RunContext, run: CourseRun): Promise<void> {
  const coursesCollection = ctx.db.collection('courses');
  await runPass(ctx, {
    collection: 'quizzes',
    label: 'quizzes',
    plan: () => undefined,
    async planBatch(docs) {
      const due = docs.filter((doc) => needsDerivation(ctx, run, doc));
      const courseIds = [...new Set(due.map((doc) => hexOf(doc.courseId)))];
      const placements = new Map<string, ModulePlacement[] | undefined>();
      // One read by _id each, in parallel: `$in` scans the whole collection on the local database.
      await Promise.all(
        courseIds.map(async (id) => {
          const course = ObjectId.isValid(id)
            ? await coursesCollection.findOne(
                { _id: new ObjectId(id) },
                { projection: { modules: 1, createdAt: 1, updatedAt: 1, category: 1 } },
              )
            : null;
          placements.set(id, course ? structureCourse(course as LegacyCourse, run.categoryIdFor).placements : undefined);
        }),
      );
      return docs.map((doc): Plan | undefined => {
        if (!due.includes(doc)) return undefined;
        const quiz = doc as LegacyQuiz;
        const { fields, conflict } = quizTrigger(quiz, placements.get(hexOf(quiz.courseId)));
        if (conflict) ctx.report.conflict(conflict);
        const { questionIds, ...set } = fields;
        const questions = (Array.isArray(quiz.questions) ? quiz.questions : []).map((q, i) => ({ ...q, id: questionIds[i] }));
        const written = { ...doc, ...set, questions };
        const migrationSync: QuizSync = { legacy: quizDigest(written), version: (doc.version as number | undefined) ?? null };
        const unset = DERIVED_FIELDS.filter((field) => doc[field] !== undefined && !(field in set));
        if (doc.trigger === undefined) return { update: { $set: { ...set, questions, migrationSync } } };
        // A quiz migrated before: only while nobody changed it since it was read (an author, or the monolith again).
        ctx.report.detail(`quiz ${hexOf(doc._id)}: derived again from its legacy fields`, { quiz: hexOf(doc._id), trigger: set.trigger });
        return {
          update: {
            $set: { ...set, questions, migrationSync },
            ...(unset.length ? { $unset: Object.fromEntries(unset.map((f) => [f, ''])) } : {}),
          },
          guard: {
            'migrationSync.legacy': (doc.migrationSync as QuizSync).legacy,
            version: doc.version === undefined ? { $exists: false } : (doc.version as number),
          },
        };
      });
    },
  });
}

/** Never migrated, or migrated and since changed in the monolith (or its course rewritten), while untouched by authors. */
function needsDerivation(ctx: RunContext, run: CourseRun, doc: Document): boolean {
  if (doc.trigger === undefined) return true;
  const sync = doc.migrationSync as QuizSync | undefined;
  // No marker: a quiz made in the new shape.
  if (!sync) return false;
  const changed = quizDigest(doc) !== sync.legacy;
  if (!changed && !run.changedCourses.has(hexOf(doc.courseId))) return false;
  if (quizUntouched(doc, sync)) return true;
  if (changed)
    ctx.report.conflict({
      kind: 'edited-on-both-sides',
      collection: 'quizzes',
      id: hexOf(doc._id),
      detail: 'changed in the monolith and by authors in the new shape: both kept, nothing brought over',
    });
  return false;
}
