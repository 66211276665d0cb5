import { z } from 'zod';
import type { CategoryState } from './types';
import { LIMITS, parseOrThrow } from './validation';

/**
 * What category names are unique by (the store's unique index is on it):
 * trimmed and lower-cased, as the API promises, and NFC-normalized so that
 * the same visible name typed two ways ("é" vs "e" + accent) is one name.
 */
export const categoryKey = (name: string): string => name.normalize('NFC').trim().toLowerCase();

export function validateCategoryName(name: unknown, field = 'name'): string {
  return parseOrThrow(z.string().trim().min(1).max(LIMITS.categoryName), name, 'invalid category name', [field]);
}

export function createCategory(input: { id: string; name: string }): CategoryState {
  const name = validateCategoryName(input.name);
  return { id: input.id, name, key: categoryKey(name) };
}
