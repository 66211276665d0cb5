import { useCallback } from 'react';
import { ApiError } from '../shared/api/errors';
import { useSession } from '../shared/session';

export type InScope = (categoryId: string) => boolean;

/**
 * Whether this user may author in a category. The gateway lets a subadmin read
 * every published course, as students do; this interface is for authoring, so
 * it shows a subadmin only the courses of their own categories.
 */
export function useInScope(): InScope {
  const { role, categoryIds } = useSession().session;
  return useCallback((categoryId: string) => role === 'admin' || categoryIds.includes(categoryId), [role, categoryIds]);
}

/** The categories whose courses a user sees here: undefined for an admin (all of them). */
export function useScopeCategories(): readonly string[] | undefined {
  const { role, categoryIds } = useSession().session;
  return role === 'admin' ? undefined : categoryIds;
}

/** A course outside the user's categories is, for this interface, one that is not there. */
export const outOfScope = () => new ApiError(404, { status: 404, detail: 'The course is not in your categories.' });
