import type { Request } from 'express';
import type { FieldIssue } from '@testmancer/shared';
import type { z } from 'zod';

/**
 * No body of the API nests anywhere near this deep; a deeper one is refused
 * before anything walks it recursively (a stack overflow would be a 500).
 */
export const MAX_JSON_DEPTH = 32;

/** Whether `value` nests objects or arrays more than `max` levels deep, found without recursion. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= max) return true;
    for (const inner of Object.values(item)) pending.push([inner, depth + 1]);
  }
  return false;
}

/**
 * `$`-prefixed keys are MongoDB operators: the API rejects them anywhere in a
 * body or query, whatever the schema says, so that none can reach a query.
 */
export function dollarKeyIssues(value: unknown, path: string[] = []): FieldIssue[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => dollarKeyIssues(item, [...path, String(i)]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key.startsWith('$')
      ? [{ path: [...path, key].join('/'), message: 'keys starting with "$" are not allowed' }]
      : dollarKeyIssues(inner, [...path, key]),
  );
}

export function zodIssues(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('/'), message: 'unknown field' }));
    }
    return [{ path: base.join('/'), message: issue.message }];
  });
}

/** Whether a request announces a body (a length above 0, or chunks). */
export const hasBody = (req: Request): boolean =>
  req.get('content-length') !== undefined ? req.get('content-length') !== '0' : req.get('transfer-encoding') !== undefined;
