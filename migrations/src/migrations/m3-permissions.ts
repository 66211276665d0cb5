/**
 * m3, advanced permissions: a subadmin's `permissions` (`courses:<category
 * name>`, `courses:*`) become `scopes: { categoryIds }` over the categories
 * m0 made (`courses:*`: every category, and `allCategories: true`).
 */
import { runPass, type RunContext } from '../pass';
import { restoreBackups } from '../restore';
import { categoryIdOf, parsePermission } from '../transform';
import { collectCategories } from './m0-roles-categories';
import type { Migration } from './index';

async function up(ctx: RunContext): Promise<void> {
  const keys = [...(await collectCategories(ctx)).keys()].sort();
  await runPass(ctx, {
    collection: 'users',
    plan(user) {
      if (user.role !== 'subadmin' || user.scopes !== undefined) return undefined;
      const permissions = Array.isArray(user.permissions) ? user.permissions.map(parsePermission) : [];
      const all = permissions.some((p) => p?.all);
      const ids = all ? keys : [...new Set(permissions.flatMap((p) => (p && !p.all ? [p.key] : [])))];
      return { update: { $set: { scopes: { categoryIds: ids.map(categoryIdOf), ...(all ? { allCategories: true } : {}) } } } };
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
