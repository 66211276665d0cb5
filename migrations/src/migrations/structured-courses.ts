/**
 * structured-courses: the legacy data becomes what the services serve, and
 * keeps becoming it while production writes (docs/live-migration.md).
 *
 * Expand first, contract later: legacy fields stay where they are; new
 * fields and documents are added. Passes, each one streaming cursor:
 *   users     → legacy gems into the gem ledger (the opening balance, then
 *               every later payout), `earnedGems`
 *   courses   → `pages`, then categoryId/status/structure/units/version and
 *               a marker of what was brought over; later, module edits
 *   quizzes   → trigger, moduleId, pageOrder/pageId, orphaned, question ids
 *   quizattempts → `attempts`, numbered by time per quiz and user among the
 *               attempts of both systems (no gem granted twice)
 * Every pass is also the catch-up: run again, it brings over what the
 * monolith changed since the last run and writes nothing where nothing
 * changed. Down (and `migrate:rollback-structured-courses`) is the rollback
 * of ../structured/rollback.ts.
 */
import { attempts } from '../structured/attempts';
import { courses, type CourseRun } from '../structured/courses';
import { quizzes } from '../structured/quizzes';
import { rollback } from '../structured/rollback';
import { users } from '../structured/users';
import type { Migration } from './index';
import { categoryIds } from './m0-roles-categories';

export const structuredCourses: Migration = {
  name: 'structured-courses',
  description: 'courses to units and pages, quiz triggers, earned gems, numbered attempts; again, what production changed since',
  file: __filename,
  async up(ctx) {
    const run: CourseRun = { categoryIdFor: await categoryIds(ctx.db), changedCourses: new Set() };
    await users(ctx);
    await courses(ctx, run);
    await quizzes(ctx, run);
    await attempts(ctx);
  },
  down: rollback,
};
