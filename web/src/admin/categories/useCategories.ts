import { useCallback } from 'react';
import { api, call, type Schemas } from '../../shared/api/client';
import { useSession } from '../../shared/session';
import { useResource } from '../../shared/useResource';

/** Every category, following the cursor (there are few, and pickers need them all). */
export async function allCategories(): Promise<Schemas['Category'][]> {
  const categories: Schemas['Category'][] = [];
  let cursor: string | undefined;
  do {
    const page = await call(api.GET('/api/categories', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
    categories.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return categories.sort((a, b) => a.name.localeCompare(b.name));
}

export const useAllCategories = () => useResource(allCategories);

/** The categories this user may author in: all for an admin, a subadmin's own for a subadmin. */
export function useAuthorCategories() {
  const { role, categoryIds } = useSession().session;
  const load = useCallback(async () => {
    const categories = await allCategories();
    return role === 'admin' ? categories : categories.filter((category) => categoryIds.includes(category.id));
  }, [role, categoryIds]);
  return useResource(load);
}
