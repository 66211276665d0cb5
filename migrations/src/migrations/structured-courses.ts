/**
 * structured-courses: the legacy data becomes what the services serve.
 *
 * Expand first, contract later: legacy fields stay where they are; new
 * fields and documents are added. A course's pages are inserted before the
 * one update that gives the course its `structure`, `units` and the rest, so
 * the content service (which serves a course only once it has `structure`)
 * never sees a half-migrated course. Passes, each one streaming cursor:
 *   users     → `earnedGems`, an opening balance in the gem ledger
 *   courses   → `pages`, then categoryId/status/structure/units/version
 *   quizzes   → trigger, moduleId, pageOrder/pageId, orphaned, question ids
 *   quizattempts → `attempts`, numbered per quiz and user by date (so the
 *                monolith's first attempts stay first: no gem granted twice)
 * A document already migrated is skipped, which is what makes a second run
 * and a resumed run write nothing more.
 */
import { ObjectId, type Document } from 'mongodb';
import { runPass, type RunContext } from '../pass';
import { restoreBackups } from '../restore';
import {
  derivedId,
  orderProblems,
  parseGems,
  quizTrigger,
  structureCourse,
  type LegacyCourse,
  type LegacyQuiz,
  type ModulePlacement,
} from '../transform';
import type { Migration } from './index';

const hex = (id: unknown) => (id instanceof ObjectId ? id.toHexString() : String(id));

async function users(ctx: RunContext) {
  await runPass(ctx, {
    collection: 'users',
    label: 'users',
    plan(user) {
      if (user.earnedGems !== undefined) return undefined;
      const { gems, parsed } = parseGems(user.gems);
      if (!parsed)
        ctx.report.conflict({
          kind: 'unparseable-gems',
          collection: 'users',
          id: hex(user._id),
          detail: `gems ${JSON.stringify(user.gems ?? null)} counts as 0`,
        });
      const at = user.createdAt instanceof Date ? user.createdAt : new Date(0);
      const userId = hex(user._id);
      const grantId = derivedId(`opening-gems:${userId}`);
      const inserts: { collection: string; doc: Document }[] = [];
      if (gems > 0) {
        inserts.push({
          collection: 'gemgrants',
          doc: {
            _id: grantId,
            key: `migration:opening:${userId}`,
            userId,
            amount: gems,
            source: 'migration',
            reason: 'balance earned in the monolith',
            grantedAt: at,
            applied: true,
          },
        });
      }
      inserts.push({
        collection: 'gembalances',
        doc: { _id: userId, earnedGems: gems, version: 1, ...(gems > 0 ? { lastGrantId: grantId } : {}), updatedAt: at },
      });
      return { inserts, update: { $set: { earnedGems: gems } } };
    },
  });
}

async function courses(ctx: RunContext) {
  await runPass(ctx, {
    collection: 'courses',
    label: 'courses',
    plan(doc) {
      const course = doc as LegacyCourse;
      if (doc.structure !== undefined) return undefined;
      const modules = Array.isArray(course.modules) ? course.modules : [];
      const problems = orderProblems(modules);
      if (problems.length > 0)
        ctx.report.conflict({ kind: 'bad-order', collection: 'courses', id: hex(course._id), detail: problems.join('; ') });
      const { fields, pages } = structureCourse(course);
      ctx.report.detail(`course ${hex(course._id)} "${course.title}": ${fields.structure.unitCount} unit(s), ${pages.length} page(s)`, {
        course: hex(course._id),
        structure: fields.structure,
        units: fields.units.map((u) => ({ id: u._id.toHexString(), title: u.title, pages: u.pageIds.length })),
      });
      return { inserts: pages.map((page) => ({ collection: 'pages', doc: page })), update: { $set: fields } };
    },
  });
}

async function quizzes(ctx: RunContext) {
  const coursesCollection = ctx.db.collection('courses');
  await runPass(ctx, {
    collection: 'quizzes',
    label: 'quizzes',
    plan: () => undefined,
    async planBatch(docs) {
      const pending = docs.filter((doc) => doc.trigger === undefined);
      const courseIds = [...new Set(pending.map((doc) => hex(doc.courseId)))];
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
          placements.set(id, course ? structureCourse(course as LegacyCourse).placements : undefined);
        }),
      );
      return docs.map((doc) => {
        if (doc.trigger !== undefined) return undefined;
        const quiz = doc as LegacyQuiz;
        const { fields, conflict } = quizTrigger(quiz, placements.get(hex(quiz.courseId)));
        if (conflict) ctx.report.conflict(conflict);
        const { questionIds, ...set } = fields;
        const questions = (Array.isArray(quiz.questions) ? quiz.questions : []).map((q, i) => ({ ...q, id: questionIds[i] }));
        return { update: { $set: { ...set, questions } } };
      });
    },
  });
}

/** A legacy quiz attempt as the pass reads it: its fields are copied, or checked before use. */
interface LegacyAttempt {
  _id: unknown;
  quizId?: unknown;
  userId?: unknown;
  score?: unknown;
  total?: unknown;
  createdAt?: unknown;
}

async function attempts(ctx: RunContext) {
  // quiz → course, and per (quiz, user) the attempts by date: ids and dates only, never whole documents.
  const quizCourse = new Map<string, unknown>();
  for await (const quiz of ctx.db.collection('quizzes').find({}, { projection: { courseId: 1 } }))
    quizCourse.set(hex(quiz._id), quiz.courseId);
  const byPair = new Map<string, [number, string][]>();
  for await (const a of ctx.db.collection('quizattempts').find({}, { projection: { quizId: 1, userId: 1, createdAt: 1 } })) {
    const key = `${hex(a.quizId)}:${hex(a.userId)}`;
    const list = byPair.get(key) ?? [];
    list.push([a.createdAt instanceof Date ? a.createdAt.getTime() : 0, hex(a._id)]);
    byPair.set(key, list);
  }
  for (const list of byPair.values()) list.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  await runPass(ctx, {
    collection: 'quizattempts',
    label: 'attempts',
    plan(doc) {
      const a = doc as LegacyAttempt;
      const courseId = quizCourse.get(hex(a.quizId));
      if (!courseId) {
        ctx.report.conflict({
          kind: 'orphan-attempt',
          collection: 'quizattempts',
          id: hex(a._id),
          detail: `quiz ${hex(a.quizId)} does not exist; kept in quizattempts only`,
        });
        return undefined;
      }
      const list = byPair.get(`${hex(a.quizId)}:${hex(a.userId)}`) ?? [];
      const attemptNumber = list.findIndex(([, id]) => id === hex(a._id)) + 1;
      return {
        inserts: [
          {
            collection: 'attempts',
            doc: {
              _id: a._id,
              quizId: a.quizId,
              courseId,
              userId: a.userId,
              attemptNumber,
              score: a.score,
              maxScore: a.total,
              createdAt: a.createdAt,
            },
          },
        ],
      };
    },
  });
}

export const structuredCourses: Migration = {
  name: 'structured-courses',
  description: 'courses to units and pages, quiz triggers, earned gems, numbered attempts',
  file: __filename,
  async up(ctx) {
    await users(ctx);
    await courses(ctx);
    await quizzes(ctx);
    await attempts(ctx);
  },
  down: restoreBackups,
};
