import {
  errorKindOf,
  isGrpcStatus,
  issuesOf,
  Status as GrpcStatus,
  type DomainErrorKind,
  type FieldIssue,
  type RpcFailure,
} from '@testmancer/shared';
import type { Response } from 'express';

/** An RFC 9457 problem document, as every error of the API is served. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldIssue[];
}

const PROBLEM_BASE = 'https://api.testmancer.com/problems/';

const titles: Record<number, [slug: string, title: string]> = {
  400: ['invalid-request', 'Invalid request'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  409: ['conflict', 'Conflict'],
  412: ['precondition-failed', 'Precondition failed'],
  413: ['payload-too-large', 'Payload too large'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  416: ['range-not-satisfiable', 'Range not satisfiable'],
  429: ['too-many-requests', 'Too many requests'],
  500: ['internal', 'Internal error'],
  501: ['not-implemented', 'Not implemented'],
  503: ['unavailable', 'Service unavailable'],
};

/** Seconds a client should wait before retrying when a service is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: FieldIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export function problem(status: number, detail: string, errors?: FieldIssue[]): Problem {
  const [slug, title] = titles[status] ?? titles[500]!;
  return { type: PROBLEM_BASE + slug, title, status, detail, ...(errors ? { errors } : {}) };
}

export function sendProblem(
  res: Response,
  status: number,
  detail: string,
  errors?: FieldIssue[],
  headers: Record<string, string> = {},
): void {
  if (status === 503 && !headers['Retry-After']) headers['Retry-After'] = String(RETRY_AFTER_SECONDS);
  if (status === 401) headers['WWW-Authenticate'] ??= 'Bearer';
  res
    .status(status)
    .set(headers)
    .type('application/problem+json')
    .send(JSON.stringify(problem(status, detail, errors)));
}

const httpStatusByGrpc: Partial<Record<GrpcStatus, number>> = {
  [GrpcStatus.INVALID_ARGUMENT]: 400,
  [GrpcStatus.OUT_OF_RANGE]: 400,
  [GrpcStatus.PERMISSION_DENIED]: 403,
  [GrpcStatus.NOT_FOUND]: 404,
  [GrpcStatus.ALREADY_EXISTS]: 409,
  [GrpcStatus.ABORTED]: 409,
  [GrpcStatus.FAILED_PRECONDITION]: 412,
  [GrpcStatus.UNIMPLEMENTED]: 501,
  [GrpcStatus.UNAVAILABLE]: 503,
  [GrpcStatus.DEADLINE_EXCEEDED]: 503,
};

/**
 * Kinds a service names in metadata because their gRPC code is shared with
 * another meaning. RESOURCE_EXHAUSTED without `too_large` is a message over
 * a size limit between the gateway and a service, UNAUTHENTICATED a
 * credential the gateway sent and a service refused: both the platform's
 * fault (500, logged), never the client's to retry.
 */
const httpStatusByKind: Partial<Record<DomainErrorKind, number>> = { too_large: 413, unsupported: 415, busy: 429 };

/** A bound on concurrent work frees up as soon as one of them ends: worth trying again shortly. */
const BUSY_RETRY_AFTER_S = 5;

/**
 * The one place where a gRPC status becomes an HTTP problem. Services already
 * hide internal causes; here only statuses with a client meaning keep their
 * details, and everything else becomes a bare 500.
 */
export function problemFromGrpc(error: RpcFailure): HttpProblem {
  const kind = errorKindOf(error);
  const status = (kind && httpStatusByKind[kind]) ?? httpStatusByGrpc[error.code] ?? 500;
  if (status === 503) return new HttpProblem(503, 'a service this request needs is unavailable; try again shortly');
  if (status === 500) return new HttpProblem(500, 'the request could not be completed');
  // A service that does not offer the operation (yet): nothing the client can change, nothing broken either.
  if (status === 501) return new HttpProblem(501, 'this operation is not available yet');
  if (status === 429) return new HttpProblem(429, error.details, undefined, { 'Retry-After': String(BUSY_RETRY_AFTER_S) });
  const issues = status === 400 ? issuesOf(error) : [];
  return new HttpProblem(status, error.details, issues.length > 0 ? issues : undefined);
}

export function toHttpProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (isGrpcStatus(error)) return problemFromGrpc(error);
  return new HttpProblem(500, 'the request could not be completed');
}
