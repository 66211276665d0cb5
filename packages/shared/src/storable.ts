import type { FieldIssue } from './errors';

/**
 * Strings the database cannot store: U+0000 anywhere in a document fails on
 * PostgreSQL's jsonb (the local database) and is a trap for C-string code
 * elsewhere. Refused at the edge and by every service, with the field's path
 * (keys too), never stored, never a 500.
 */
export function nulCharacterIssues(value: unknown, path: readonly string[] = []): FieldIssue[] {
  const issue = (at: readonly string[]): FieldIssue => ({ path: at.join('/'), message: 'must not contain the character U+0000' });
  if (typeof value === 'string') return value.includes('\u0000') ? [issue(path)] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nulCharacterIssues(item, [...path, String(i)]));
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array) return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(key.includes('\u0000') ? [issue([...path, key])] : []),
    ...nulCharacterIssues(inner, [...path, key]),
  ]);
}
