import { ClientError, Status, type Metadata } from 'nice-grpc-common';
import { MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import { DomainError, isDomainError, type DomainErrorKind, type FieldIssue } from '../errors';

/** The database could not be reached: the caller may retry, nothing was decided. */
const isDatabaseUnreachable = (error: unknown): boolean =>
  error instanceof MongoNetworkError ||
  error instanceof MongoServerSelectionError ||
  error instanceof MongoNotConnectedError ||
  error instanceof MongoTopologyClosedError;

/** Trailing metadata key carrying field-level issues (JSON) next to INVALID_ARGUMENT. */
export const ISSUES_METADATA_KEY = 'testmancer-issues';

/**
 * Trailing metadata key naming the domain error kind, for the kinds that
 * share a gRPC code with another (too_large and busy with message limits in
 * RESOURCE_EXHAUSTED, unsupported with the rest of INVALID_ARGUMENT).
 */
export const KIND_METADATA_KEY = 'testmancer-error-kind';
const KINDS_SHARING_A_CODE: ReadonlySet<DomainErrorKind> = new Set(['too_large', 'busy', 'unsupported']);

const codeByKind: Record<DomainErrorKind, Status> = {
  invalid: Status.INVALID_ARGUMENT,
  not_found: Status.NOT_FOUND,
  forbidden: Status.PERMISSION_DENIED,
  conflict: Status.ALREADY_EXISTS,
  stale: Status.FAILED_PRECONDITION,
  too_large: Status.RESOURCE_EXHAUSTED,
  busy: Status.RESOURCE_EXHAUSTED,
  unsupported: Status.INVALID_ARGUMENT,
  unavailable: Status.UNAVAILABLE,
};

/** A status for the caller: its code, its message, and the trailer entries that say more (field issues, the kind). */
export interface GrpcError {
  code: Status;
  details: string;
  trailers: Record<string, string>;
}

/**
 * The one place where a service's errors become gRPC statuses. Domain errors
 * keep their message; anything else is an internal error whose details say
 * nothing about the cause (the cause goes to the log, never to the caller).
 */
export function toGrpcError(error: unknown): GrpcError {
  if (isDomainError(error)) {
    const trailers: Record<string, string> = {};
    if (error.issues.length > 0) trailers[ISSUES_METADATA_KEY] = JSON.stringify(error.issues);
    if (KINDS_SHARING_A_CODE.has(error.kind)) trailers[KIND_METADATA_KEY] = error.kind;
    return { code: codeByKind[error.kind], details: error.message, trailers };
  }
  if (isDatabaseUnreachable(error)) return { code: Status.UNAVAILABLE, details: 'the database is unavailable', trailers: {} };
  // A downstream call failed: pass availability problems on, hide the rest.
  if (isGrpcStatus(error) && (error.code === Status.UNAVAILABLE || error.code === Status.DEADLINE_EXCEEDED))
    return { code: Status.UNAVAILABLE, details: 'a dependency is unavailable', trailers: {} };
  return { code: Status.INTERNAL, details: 'internal error', trailers: {} };
}

/** A failed call to another service, with the trailer its server sent (the client middleware keeps it: client.ts). */
export type RpcFailure = ClientError & { trailer?: Metadata };

export function isGrpcStatus(error: unknown): error is RpcFailure {
  return error instanceof ClientError;
}

/** Reads the field issues a service attached to an INVALID_ARGUMENT status. */
export function issuesOf(error: RpcFailure): FieldIssue[] {
  const raw = error.trailer?.get(ISSUES_METADATA_KEY);
  if (typeof raw !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    const isIssue = (item: unknown): item is FieldIssue =>
      typeof item === 'object' &&
      item !== null &&
      'path' in item &&
      typeof item.path === 'string' &&
      'message' in item &&
      typeof item.message === 'string';
    return Array.isArray(parsed) ? parsed.filter(isIssue) : [];
  } catch {
    return [];
  }
}

export { DomainError };

/** The domain error kind a service named in a status's metadata (only for kinds that share a code). */
export function errorKindOf(error: RpcFailure): DomainErrorKind | undefined {
  const raw = error.trailer?.get(KIND_METADATA_KEY);
  return typeof raw === 'string' && KINDS_SHARING_A_CODE.has(raw as DomainErrorKind) ? (raw as DomainErrorKind) : undefined;
}

/** The gRPC status codes (nice-grpc's, the same numbers as grpc-js'). */
export { Status };
