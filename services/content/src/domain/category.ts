import { z } from 'zod';
import type { CategoryState } from './types';
import { LIMITS, parseOrThrow } from './validation';

/**
 * What shows nothing: white space, format characters (zero-width spaces and
 * joiners, word joiner, soft hyphen, byte-order mark, direction marks and
 * overrides: Unicode's `Cf`), and the blank letters and symbols fonts draw
 * as nothing (Hangul fillers, the blank Braille pattern).
 */
const INVISIBLE = String.raw`[\p{White_Space}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]`;
const INVISIBLE_EDGES = new RegExp(`^${INVISIBLE}+|${INVISIBLE}+$`, 'gu');

/**
 * A name without what shows nothing at its edges. Inside a name such
 * characters stay: there they join or separate what they stand between (the
 * joiner in an emoji family, say).
 */
export const trimInvisible = (name: string): string => name.replace(INVISIBLE_EDGES, '');

/**
 * What category names are unique by (the store's unique index is on it):
 * trimmed of what shows nothing, as names are validated, and lower-cased, as
 * the API promises, and NFC-normalized so that the same visible name typed
 * two ways ("é" vs "e" + accent) is one name.
 */
export const categoryKey = (name: string): string => trimInvisible(name.normalize('NFC')).toLowerCase();

export function validateCategoryName(name: unknown, field = 'name'): string {
  return parseOrThrow(z.string().transform(trimInvisible).pipe(z.string().min(1).max(LIMITS.categoryName)), name, 'invalid category name', [
    field,
  ]);
}

export function createCategory(input: { id: string; name: string }): CategoryState {
  const name = validateCategoryName(input.name);
  return { id: input.id, name, key: categoryKey(name) };
}
