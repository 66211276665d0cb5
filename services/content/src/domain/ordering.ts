/**
 * Pure helpers for ordered lists whose positions are 1-based and dense by
 * construction: a position is an index into the array, never a stored number.
 * They never mutate their input.
 */
import { invalid, notFound } from './errors';
import type { FieldIssue } from '@testmancer/shared';

/** A list item: an id itself, or something that has one. */
export type Keyed = string | { readonly id: string };

export const idOf = (item: Keyed): string => (typeof item === 'string' ? item : item.id);

function assertPosition(position: number): void {
  if (!Number.isInteger(position) || position < 1) {
    const message = 'must be a whole number from 1';
    throw invalid(`position ${message}`, [{ path: 'position', message }]);
  }
}

/** Inserts at a 1-based position; omitted or past the end appends. */
export function insertAt<T>(list: readonly T[], item: T, position?: number): T[] {
  if (position === undefined) return [...list, item];
  assertPosition(position);
  // slice stops at the end, so a position past the end appends.
  return [...list.slice(0, position - 1), item, ...list.slice(position - 1)];
}

/** Moves the item with `id` to a 1-based position; past the end means last. */
export function moveTo<T extends Keyed>(list: readonly T[], id: string, position: number, what: string): T[] {
  assertPosition(position);
  const { list: rest, removed } = removeById(list, id, what);
  return insertAt(rest, removed, position);
}

export function removeById<T extends Keyed>(list: readonly T[], id: string, what: string): { list: T[]; removed: T } {
  const index = list.findIndex((item) => idOf(item) === id);
  const removed = list[index];
  if (removed === undefined) throw notFound(what);
  return { list: [...list.slice(0, index), ...list.slice(index + 1)], removed };
}

/**
 * Checks that `requestedIds` is exactly `currentIds` in some order, and
 * otherwise throws `invalid` naming every missing, repeated and unknown id
 * (unknown covers an extra id as well as one that does not exist at all).
 * `field` is the request field, used as the issues' path (`unitIds/3`).
 */
export function assertPermutation(currentIds: readonly string[], requestedIds: readonly string[], field: string): void {
  const current = new Set(currentIds);
  const seen = new Map<string, number>();
  const issues: FieldIssue[] = [];
  requestedIds.forEach((id, index) => {
    const path = `${field}/${String(index)}`;
    const first = seen.get(id);
    if (!current.has(id)) {
      issues.push({ path, message: `'${id}' is not one of the ids being ordered` });
    } else if (first !== undefined) {
      issues.push({ path, message: `'${id}' is repeated (already at ${field}/${String(first)})` });
    } else {
      seen.set(id, index);
    }
  });
  for (const id of currentIds) {
    if (!seen.has(id)) issues.push({ path: field, message: `'${id}' is missing` });
  }
  if (issues.length > 0) {
    throw invalid(`${field} must list every current id exactly once`, issues);
  }
}

/** The items of `list` in the order of `ids`, which must be a permutation of theirs. */
export function reorderBy<T extends Keyed>(list: readonly T[], ids: readonly string[], field: string): T[] {
  assertPermutation(list.map(idOf), ids, field);
  const byId = new Map(list.map((item) => [idOf(item), item] as const));
  return ids.map((id) => byId.get(id) as T);
}
