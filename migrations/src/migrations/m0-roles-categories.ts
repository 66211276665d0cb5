/**
 * m0, roles and categories: every user gets a normalized `role` (`admin`,
 * `subadmin`, `student`; `isAdmin: true` wins; unknown or missing is a
 * student, reported), and every category named by a course or by a
 * subadmin's permission becomes a `categories` document (names equal after
 * trimming and lower-casing are one category; its id is derived from that
 * key, so later migrations and dry runs know it without a lookup).
 */
import type { Db, ObjectId } from 'mongodb';
import { STATE } from '../context';
import { insertNew, runPass, type BackupDocument, type RunContext } from '../pass';
import { restoreBackups } from '../restore';
import { categoryIdOf, categoryKey, hexOf, normalizeRole, parsePermission, type CategoryIdFor } from '../transform';
import type { Migration } from './index';

export async function collectCategories(ctx: RunContext): Promise<Map<string, { name: string; createdAt: Date }>> {
  const categories = new Map<string, { name: string; createdAt: Date }>();
  const see = (rawName: string, createdAt: unknown) => {
    const name = rawName.trim();
    const key = categoryKey(name);
    const at = createdAt instanceof Date ? createdAt : new Date(0);
    const known = categories.get(key);
    // Deterministic whatever the scan order: the smallest spelling, the earliest date.
    if (!known) categories.set(key, { name, createdAt: at });
    else categories.set(key, { name: name < known.name ? name : known.name, createdAt: at < known.createdAt ? at : known.createdAt });
  };
  for await (const course of ctx.db.collection('courses').find({}, { projection: { category: 1, createdAt: 1 } })) {
    if (typeof course.category === 'string') see(course.category, course.createdAt);
  }
  for await (const user of ctx.db.collection('users').find({}, { projection: { permissions: 1, createdAt: 1 } })) {
    if (!Array.isArray(user.permissions)) continue;
    for (const permission of user.permissions) {
      const parsed = parsePermission(permission);
      if (parsed && !parsed.all) see(parsed.name, user.createdAt);
    }
  }
  return categories;
}

/**
 * A category's id by its key: the stored category's (one an admin created
 * in the new system keeps its own id), else the one m0 derives.
 */
export async function categoryIds(db: Db): Promise<CategoryIdFor> {
  const stored = new Map<string, ObjectId>();
  for await (const category of db.collection<{ _id: ObjectId; key?: unknown }>('categories').find({}, { projection: { key: 1 } }))
    if (typeof category.key === 'string') stored.set(category.key, category._id);
  return (key) => stored.get(key) ?? categoryIdOf(key);
}

async function up(ctx: RunContext): Promise<void> {
  const categories = await collectCategories(ctx);
  const stored = await categoryIds(ctx.db);
  // Only categories nobody made yet (an earlier run, or an admin in the new system under the same key).
  const docs = [...categories]
    .filter(([key]) => stored(key).equals(categoryIdOf(key)))
    .map(([key, { name, createdAt }]) => ({ _id: categoryIdOf(key), name, key, version: 1, createdAt }));
  ctx.report.detail(`${docs.length} categories`, { categories: docs.map((d) => ({ id: d._id.toHexString(), name: d.name })) });
  if (ctx.options.dryRun) ctx.report.counts('categories').inserted += docs.length;
  else {
    const savedAt = new Date();
    const backups: BackupDocument[] = docs.map((d) => ({
      _id: `m0:categories:${d._id.toHexString()}`,
      runId: ctx.runId,
      migration: ctx.migration,
      collection: 'categories',
      docId: d._id,
      created: true,
      savedAt,
    }));
    if (ctx.options.backup !== false) await insertNew(ctx.db.collection(STATE.backups), backups);
    const { inserted, refused } = await insertNew(ctx.db.collection('categories'), docs);
    ctx.report.counts('categories').inserted += inserted;
    for (const doc of refused)
      ctx.report.conflict({
        kind: 'duplicate-key',
        collection: 'categories',
        id: hexOf(doc._id),
        detail: `category key ${JSON.stringify(doc.key)} was taken while the run read the categories: run again`,
      });
  }
  await runPass(ctx, {
    collection: 'users',
    plan(user) {
      const { role, recognised } = normalizeRole(user);
      if (!recognised)
        ctx.report.conflict({
          kind: 'unknown-role',
          collection: 'users',
          id: String(user._id),
          detail: `role ${JSON.stringify(user.role ?? null)} is a student`,
        });
      return user.role === role ? undefined : { update: { $set: { role } } };
    },
  });
}

export const m0: Migration = {
  name: 'm0',
  description: 'roles and categories: normalized user roles, a categories collection from course categories and permissions',
  file: __filename,
  up,
  down: restoreBackups,
};
