/**
 * m1 and m2 prepare the collections the structured data lands in: the
 * indexes the content, quiz and gems services read by, with the services'
 * own names and keys (a service creating them again at start is a no-op).
 * m1: course structure (categories by key, quizzes by course and unit);
 * m2: page-based content and its history (attempts numbered per quiz and
 * user, the legacy attempts by quiz and user, the gem ledger). Down drops
 * them.
 */
import type { CreateIndexesOptions, IndexSpecification } from 'mongodb';
import type { RunContext } from '../pass';
import type { Migration } from './index';

type IndexSet = { collection: string; indexes: { key: IndexSpecification; name: string; unique?: boolean; sparse?: boolean }[] }[];

const M1: IndexSet = [
  { collection: 'categories', indexes: [{ key: { key: 1 }, name: 'key_unique', unique: true }] },
  {
    collection: 'quizzes',
    indexes: [
      { key: { courseId: 1 }, name: 'course' },
      { key: { moduleId: 1 }, name: 'unit' },
    ],
  },
];

const M2: IndexSet = [
  {
    collection: 'attempts',
    indexes: [
      { key: { quizId: 1, userId: 1, attemptNumber: 1 }, name: 'attempt_number_unique', unique: true },
      { key: { requestKey: 1 }, name: 'request_key_unique', unique: true, sparse: true },
      { key: { userId: 1, courseId: 1 }, name: 'user_course' },
      { key: { grantPending: 1 }, name: 'grant_pending', sparse: true },
    ],
  },
  // The legacy attempts by user and quiz: the quiz service's bridge reads them so, the attempts pass walks them so.
  { collection: 'quizattempts', indexes: [{ key: { quizId: 1, userId: 1 }, name: 'quiz_user' }] },
  {
    collection: 'gemgrants',
    indexes: [
      { key: { key: 1 }, name: 'key_unique', unique: true },
      { key: { userId: 1, grantedAt: -1 }, name: 'user_history' },
      { key: { applied: 1 }, name: 'applied' },
    ],
  },
];

function indexMigration(name: string, description: string, set: IndexSet): Migration {
  return {
    name,
    description,
    file: __filename,
    async up(ctx: RunContext) {
      for (const { collection, indexes } of set) {
        for (const { key, name: indexName, ...options } of indexes) {
          ctx.report.detail(`index ${collection}.${indexName}`);
          if (!ctx.options.dryRun)
            await ctx.db.collection(collection).createIndex(key, { name: indexName, ...(options as CreateIndexesOptions) });
          ctx.report.counts(collection).updated += 0;
        }
        ctx.report.notes.push(`${collection}: ${indexes.length} index(es) ${ctx.options.dryRun ? 'to create' : 'ensured'}`);
      }
    },
    async down(ctx: RunContext) {
      for (const { collection, indexes } of set) {
        for (const { name: indexName } of indexes) {
          if (ctx.options.dryRun) continue;
          await ctx.db
            .collection(collection)
            .dropIndex(indexName)
            .catch(() => undefined);
        }
      }
    },
  };
}

export const m1 = indexMigration('m1', 'course structure: indexes of categories (by key) and quizzes (by course, by unit)', M1);
export const m2 = indexMigration('m2', 'page-based content history: indexes of numbered attempts and the gem ledger', M2);
