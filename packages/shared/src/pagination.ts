import { ObjectId } from 'mongodb';
import { invalid } from './errors';
import { isObjectIdText, NOT_AN_ID } from './ids';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The contract's `limit`: 20 when absent (0 on the wire), at most 100. */
export function pageSize(limit: number | undefined): number {
  if (!limit) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalid('limit is out of range', [{ path: 'limit', message: `must be between 1 and ${MAX_PAGE_SIZE}` }]);
  }
  return limit;
}

/** One page of a list and the cursor of the next ('' after the last). */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string;
}

/**
 * Cursors are opaque to clients: the last item's id, base64url-encoded, so that
 * the next page starts strictly after it, stable under inserts. Inside, ids
 * stay strings (24-hex); only a store turns one into an ObjectId.
 */
export const cursorAfter = (id: string): string => Buffer.from(id, 'hex').toString('base64url');

/** The id a cursor continues after; undefined for the first page; `invalid` for a cursor this API never returned. */
export function idAfter(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('hex');
  if (id.length !== 24 || cursorAfter(id) !== cursor) {
    throw invalid('cursor is not valid', [{ path: 'cursor', message: 'not a cursor this API returned' }]);
  }
  return id;
}

/** Rows fetched in id order, one more than asked: its presence says whether a next page exists. */
export function pageOf<T>(rows: readonly T[], size: number, idOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, size);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > size && last ? cursorAfter(idOf(last)) : '' };
}

/**
 * One page of an ordered list held whole (a course's units, a unit's pages).
 * The cursor names the last item served, so the next page starts right after
 * it wherever it has moved.
 */
export function pageAfter<T extends { id: string }>(items: readonly T[], size: number, cursor: string | undefined): Page<T> {
  const after = idAfter(cursor);
  const start = after === undefined ? 0 : items.findIndex((item) => item.id === after) + 1;
  if (start === 0 && after !== undefined) {
    throw invalid('cursor is no longer valid', [{ path: 'cursor', message: 'the item it continues from no longer exists' }]);
  }
  return pageOf(items.slice(start, start + size + 1), size, (item) => item.id);
}

/** An id from the wire: a 24-hex ObjectId, or an `invalid` naming the field. */
export function objectIdFrom(value: string, field: string): ObjectId {
  if (!isObjectIdText(value)) throw invalid(`${field} is not a valid id`, [{ path: field, message: NOT_AN_ID }]);
  return new ObjectId(value);
}

/** Duplicate key (E11000): a unique index refused the write. */
export const isDuplicateKey = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;

/**
 * How large one answer between services may grow: lists are cut to the
 * items that fit (always at least one), so that no message nears a size
 * limit however large the items are.
 */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024 - 64 * 1024;

/** The first items whose encoded messages fit in `MAX_ANSWER_BYTES` (at least one), and whether any were left out. */
export function withinAnswerBytes<T>(items: readonly T[], encodedLength: (item: T) => number): { items: T[]; cut: boolean } {
  let bytes = 0;
  for (const [index, item] of items.entries()) {
    bytes += encodedLength(item);
    if (bytes > MAX_ANSWER_BYTES && index > 0) return { items: items.slice(0, index), cut: true };
  }
  return { items: [...items], cut: false };
}
