import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Logger } from '@testmancer/shared';
import { z } from 'zod';
import { nulCharacterIssues, type Caller, type Role } from '@testmancer/shared';
import type { Flags } from '../flags';
import { problemSchema, toOpenApiPath } from './openapi';
import { HttpProblem, sendProblem, toHttpProblem } from './problem';
import { COURSE_LISTS, etagMatches, sendEntry, type EdgeCache, type EdgeEntry } from './edge-cache';
import { dollarKeyIssues, hasBody, MAX_JSON_DEPTH, nestedDeeperThan, zodIssues } from './validation';

/** Who may call a route: anyone, any authenticated user, or the listed roles. */
export type Access = 'public' | 'authenticated' | readonly Role[];

type AnyObject = z.ZodObject<z.ZodRawShape>;
type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  caller: Caller;
  /** The caller's flags, evaluated once per request on first use. */
  flags: () => Promise<Flags>;
  /** The version an `If-Match` header asks for; undefined when absent or `*`. */
  ifMatch: number | undefined;
  req: Request;
  res: Response;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Served as `ETag: "<etag>"`; a matching `If-None-Match` turns a 200 into a 304. */
  etag?: string | number;
  /** A body streamed as it is read (bytes of a file), instead of `body`; its headers are the route's to set. */
  stream?: Readable;
}

export interface RouteDefinition<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends z.ZodType | undefined> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path, e.g. `/api/courses/:courseId`. */
  path: string;
  summary: string;
  /** Longer OpenAPI text: flag behaviour, aliases, status choices. */
  description?: string;
  tags: string[];
  access: Access;
  /**
   * Flag-gated routes: to a caller whose flags fail this, the route does not exist (404),
   * whoever they are and whatever they sent, so it is checked before access and validation.
   */
  availableWhen?: (flags: Flags) => boolean;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * A route that reads its own `multipart/form-data` body, streamed (uploads), instead of a JSON
   * body; the schema documents the form's fields.
   */
  multipart?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /**
   * A GET whose 200 is the same for every student and anonymous caller with
   * the same flags (published content only): kept at the edge
   * (`edge-cache.ts`) and tagged with the ids of the course and quiz it
   * shows, which a write through this gateway drops.
   */
  sharedView?: (params: Infer<P>, body: unknown) => string[];
  handle(context: RouteContext<Infer<P>, Infer<Q>, Infer<B>>): Promise<Reply>;
}

// The erased form routes are kept in; each definition was type-checked where it was written
// (`handle` is a method, so its parameter is compared bivariantly and every route fits).
export type AnyRoute = RouteDefinition<AnyObject | undefined, AnyObject | undefined, z.ZodType | undefined>;

export function defineRoute<
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(definition: RouteDefinition<P, Q, B>): RouteDefinition<P, Q, B> {
  return definition;
}

export interface RouteDependencies {
  evaluateFlags: (caller: Caller) => Promise<Flags>;
  /** The user's credential for the services, carried by the caller into every call the route makes. */
  credentialFor: (caller: Extract<Caller, { kind: 'user' }>) => Promise<string>;
  logger: Logger;
  /** Absent: every request asks the services. */
  edgeCache?: EdgeCache;
}

const standardErrors: Record<number, string> = {
  400: 'Invalid request (problem+json with errors[])',
  401: 'Missing or invalid bearer token',
  403: 'Authenticated but not allowed',
  429: 'Rate limited (Retry-After)',
  503: 'A service is unavailable (Retry-After)',
};

export function register(registry: OpenAPIRegistry, route: AnyRoute): void {
  const responses: RouteConfig['responses'] = {};
  for (const [status, { description, schema }] of Object.entries(route.responses)) {
    responses[status] = schema ? { description, content: { 'application/json': { schema } } } : { description };
  }
  for (const [status, description] of Object.entries(standardErrors)) {
    if (status === '401' || status === '403') {
      if (route.access === 'public') continue;
    }
    responses[status] ??= { description, content: { 'application/problem+json': { schema: problemSchema } } };
  }
  registry.registerPath({
    method: route.method,
    path: toOpenApiPath(route.path),
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    ...(route.access === 'public' ? {} : { security: [{ bearer: [] }] }),
    request: {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.body ? { body: { content: { 'application/json': { schema: route.body } }, required: true } } : {}),
      ...(route.multipart ? { body: { content: { 'multipart/form-data': { schema: route.multipart } }, required: true } } : {}),
    },
    responses,
  });
}

/**
 * A view that also shows parts with versions of their own (the legacy course view) is served as
 * `"<version>.<parts>"`; a precondition is on the resource's own version, the part before the dot.
 */
function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})(?:\.\d{1,15})?"?\s*$/.exec(header);
  if (!match?.[1])
    throw new HttpProblem(400, 'If-Match must be a version as served in ETag, e.g. "3"', [
      { path: 'headers/if-match', message: 'not a version' },
    ]);
  return Number(match[1]);
}

function authorize(access: Access, caller: Caller): void {
  if (access === 'public') return;
  if (caller.kind === 'anonymous') throw new HttpProblem(401, 'this operation needs a bearer token');
  if (access !== 'authenticated' && !access.includes(caller.role)) {
    throw new HttpProblem(403, `this operation is not open to the ${caller.role} role`);
  }
}

function validate<T extends z.ZodType | undefined>(schema: T, value: unknown, where: 'params' | 'query' | 'body'): Infer<T> {
  if (!schema) return undefined as Infer<T>;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HttpProblem(400, `the request ${where === 'params' ? 'path' : where} is invalid`, zodIssues(result.error, where));
  }
  return result.data as Infer<T>;
}

/** Routes without a query schema take no query parameters; built once, as zod compiles a schema on its first use. */
const NO_QUERY = z.strictObject({});

/** Upload routes take multipart bodies only; every other route JSON only (the JSON checks run before routing). */
function checkBodyType(route: AnyRoute, req: Request): void {
  const multipart = req.is('multipart/form-data') === 'multipart/form-data';
  if (route.multipart && !multipart) throw new HttpProblem(415, 'this operation takes a multipart/form-data body');
  if (!route.multipart && multipart && hasBody(req)) throw new HttpProblem(415, 'request bodies must be application/json');
}

async function send(req: Request, res: Response, reply: Reply): Promise<void> {
  if (reply.headers) res.set(reply.headers);
  if (reply.stream) {
    res.status(reply.status);
    // A reader that goes away mid-file ends the pipeline; the source is destroyed with it.
    await pipeline(reply.stream, res).catch(() => res.destroy());
    return;
  }
  if (reply.etag !== undefined) {
    const etag = `"${reply.etag}"`;
    res.set('ETag', etag);
    if (req.method === 'GET' && reply.status === 200 && etagMatches(req.get('if-none-match'), etag)) {
      res.status(304).end();
      return;
    }
  }
  if (reply.body === undefined) res.status(reply.status).end();
  else res.status(reply.status).json(reply.body);
}

/** The bytes of a shared view, as `send` would have sent them. */
function edgeEntry(route: AnyRoute, params: Parameters<NonNullable<AnyRoute['sharedView']>>[0], reply: Reply): Omit<EdgeEntry, 'storedAt'> {
  if (reply.stream || reply.body === undefined) throw new Error(`${route.path} is a shared view but answered no JSON body`);
  return {
    status: reply.status,
    headers: {
      ...reply.headers,
      'Content-Type': 'application/json; charset=utf-8',
      ...(reply.etag !== undefined && { ETag: `"${reply.etag}"` }),
    },
    etag: reply.etag === undefined ? '' : `"${reply.etag}"`,
    body: Buffer.from(JSON.stringify(reply.body)),
    route: route.path,
    tags: route.sharedView!(params, reply.body),
  };
}

/** What a write changed, for the edge cache: the course and quiz ids it names, and the course lists. */
function changedBy(params: unknown, body: unknown, reply: Reply): string[] {
  const ids = [params, body, reply.body].flatMap((part) => {
    if (typeof part !== 'object' || part === null) return [];
    const { courseId, quizId } = part as { courseId?: unknown; quizId?: unknown };
    return [courseId, quizId].filter((id): id is string => typeof id === 'string');
  });
  return ids.length > 0 ? [...ids, COURSE_LISTS] : [];
}

function handlerFor(route: AnyRoute, deps: RouteDependencies): RequestHandler {
  return async (req: Request, res: Response, _next: NextFunction) => {
    try {
      const verified = res.locals.caller as Caller;
      const caller: Caller = verified.kind === 'user' ? { ...verified, credential: await deps.credentialFor(verified) } : verified;
      let flags: Promise<Flags> | undefined;
      const callerFlags = () => (flags ??= deps.evaluateFlags(caller));
      if (route.availableWhen && !route.availableWhen(await callerFlags())) throw new HttpProblem(404, 'no such resource');
      authorize(route.access, caller);
      checkBodyType(route, req);
      if (nestedDeeperThan(req.body, MAX_JSON_DEPTH))
        throw new HttpProblem(400, `the request body nests more than ${String(MAX_JSON_DEPTH)} levels deep`);
      const dollarIssues = [...dollarKeyIssues(req.query, ['query']), ...dollarKeyIssues(req.body, ['body'])];
      if (dollarIssues.length > 0) throw new HttpProblem(400, 'the request contains "$"-prefixed keys', dollarIssues);
      const nulIssues = [
        ...nulCharacterIssues(req.params, ['params']),
        ...nulCharacterIssues(req.query, ['query']),
        ...nulCharacterIssues(req.body, ['body']),
      ];
      if (nulIssues.length > 0) throw new HttpProblem(400, 'the request contains the character U+0000', nulIssues);
      const params = validate(route.params, req.params, 'params');
      const query = validate(route.query ?? NO_QUERY, req.query, 'query');
      const body = validate(route.body, req.body, 'body');
      const context = { params, query, body, caller, flags: callerFlags, ifMatch: parseIfMatch(req.get('if-match')), req, res };
      const { edgeCache } = deps;
      const edgeKey = route.sharedView && edgeCache ? edgeCache.keyOf(req, caller, await callerFlags()) : undefined;
      if (edgeKey !== undefined) {
        sendEntry(req, res, await edgeCache!.view(edgeKey, async () => edgeEntry(route, params, await route.handle(context))));
        return;
      }
      const reply = await route.handle(context);
      await send(req, res, reply);
      // Only authors change what students are shown; a student's own writes (progress, attempts) change no shared view.
      if (edgeCache && req.method !== 'GET' && reply.status < 300 && caller.kind === 'user' && caller.role !== 'student')
        edgeCache.invalidate(changedBy(params, body, reply));
    } catch (error) {
      const httpProblem = toHttpProblem(error);
      if (httpProblem.status === 500) deps.logger.error({ err: error, route: route.path }, 'request failed');
      sendProblem(res, httpProblem.status, httpProblem.detail, httpProblem.errors, httpProblem.headers);
    }
  };
}

export function mountRoutes(app: Express, registry: OpenAPIRegistry, routes: readonly AnyRoute[], deps: RouteDependencies): void {
  for (const route of routes) {
    register(registry, route);
    app[route.method](route.path, handlerFor(route, deps));
  }
}
