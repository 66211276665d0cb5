import { z } from 'zod';
import type { Flags } from '../flags';
import type { Access, AnyRoute, Reply } from '../http/route';
import { objectId } from '../http/schemas';

/** Authoring routes: the content service then decides per course (scope, visibility). */
export const AUTHORS: Access = ['admin', 'subadmin'];

export const courseParams = z.strictObject({ courseId: objectId() });
export const unitParams = courseParams.extend({ unitId: objectId() });
export const pageParams = unitParams.extend({
  pageOrder: z
    .string()
    .regex(/^[1-9]\d{0,8}$/, 'must be a positive integer')
    .transform(Number)
    .openapi({ type: 'integer', minimum: 1, description: '1-based position of the page in its unit' }),
});

/** A title of at most `max` characters after trimming; `max` comes from the owning service's contract. */
export const titleOf = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** The wire's int32: larger numbers would not survive the gRPC call. */
export const INT32_MAX = 2_147_483_647;

/** What deleting a versioned resource of a course may answer; `notFound` says what was not found. */
export const deleteResponses = (notFound: { description: string }) => ({
  204: { description: 'Deleted' },
  404: notFound,
  409: { description: 'The course is archived' },
  412: { description: 'If-Match is stale' },
});

/** 1-based; 1 inserts first; omitted or past the end appends. */
export const position = z
  .number()
  .int()
  .min(1)
  .max(INT32_MAX)
  .optional()
  .openapi({ description: '1-based; omitted or past the end appends' });

export const isStructured = (flags: Flags) => flags.STRUCTURED_COURSES_ENABLED;
export const STRUCTURED_ONLY =
  'Part of the structured API: where STRUCTURED_COURSES_ENABLED is off for the caller, this path answers 404 (before authentication and validation).';

/**
 * Bodies depend on the caller (visibility, flags), so shared caches must key on the token;
 * `etag` makes a matching If-None-Match a 304.
 */
export function resourceReply(status: number, body: unknown, etag: string | number, headers: Record<string, string> = {}): Reply {
  return { status, body, etag, headers: { Vary: 'Authorization', ...headers } };
}

export function listReply(body: unknown): Reply {
  return { status: 200, body, headers: { Vary: 'Authorization' } };
}

export const deletedReply: Reply = { status: 204 };

/** `modules` is an alias of `units` on every path below a course: same route, second path. */
export function withModulesAlias(routes: readonly AnyRoute[]): AnyRoute[] {
  return routes.flatMap((route) => {
    if (!route.path.includes('/units')) throw new Error(`${route.method} ${route.path} has no /units segment to alias`);
    const alias: AnyRoute = {
      ...route,
      path: route.path.replace('/units', '/modules'),
      summary: `${route.summary} (modules alias)`,
      description: [`Alias of \`${route.path}\`: identical statuses and bodies.`, route.description].filter(Boolean).join(' '),
    };
    return [route, alias];
  });
}

/** A response field the proto marks optional but the service always sets. */
export function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the content service answered without a required field');
  return value;
}
