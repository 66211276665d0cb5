/**
 * m3, advanced permissions: a subadmin's `permissions` (`courses:<category
 * name>`, `courses:*`) become `scopes: { categoryIds }` over the categories
 * m0 made (`courses:*`: every category, and `allCategories: true`); a later
 * run brings over permissions the monolith changed since.
 */
import { runPass, type RunContext } from '../pass';
import { restoreBackups } from '../restore';
import { digest } from '../sync';
import { parsePermission } from '../transform';
import { categoryIds, collectCategories } from './m0-roles-categories';
import type { Migration } from './index';

async function up(ctx: RunContext): Promise<void> {
  const keys = [...(await collectCategories(ctx)).keys()].sort();
  const categoryIdFor = await categoryIds(ctx.db);
  await runPass(ctx, {
    collection: 'users',
    plan(user) {
      if (user.role !== 'subadmin') return undefined;
      const permissions = Array.isArray(user.permissions) ? user.permissions.map(parsePermission) : [];
      const all = permissions.some((p) => p?.all);
      const ids = all ? keys : [...new Set(permissions.flatMap((p) => (p && !p.all ? [p.key] : [])))];
      const scopes = { categoryIds: ids.map(categoryIdFor), ...(all ? { allCategories: true } : {}) };
      // Again on a later run only when the permissions (or, for courses:*, the categories) changed since.
      if (user.scopes !== undefined && digest(user.scopes) === digest(scopes)) return undefined;
      return { update: { $set: { scopes } } };
    },
  });
}

export const m3: Migration = {
  name: 'm3',
  description: 'advanced permissions: subadmin permissions become scopes over category ids',
  file: __filename,
  up,
  down: restoreBackups,
};
