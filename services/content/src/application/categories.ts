import { assertAdmin, type Caller } from '@testmancer/shared';
import { createCategory } from '../domain';
import type { StoredCategory } from '../store/categories';
import type { ContentContext } from './context';
import type { ListPage } from './course-authoring';

/** Categories: anyone reads them, admins create them. */
export function categoryCases({ categories, now, newId }: ContentContext) {
  return {
    async createCategory(caller: Caller, name: string): Promise<StoredCategory> {
      assertAdmin(caller, 'create categories');
      return categories.insert(createCategory({ id: newId(), name }), now());
    },
    getCategory: (id: string): Promise<StoredCategory> => categories.get(id),
    listCategories: (size: number, cursor: string): Promise<ListPage<StoredCategory>> => categories.list(size, cursor),
  };
}

export type CategoryCases = ReturnType<typeof categoryCases>;
