import { Metadata, status as Status, type ServiceError } from '@grpc/grpc-js';
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
 * share a gRPC code with another (too_large with rate limits in
 * RESOURCE_EXHAUSTED, unsupported with the rest of INVALID_ARGUMENT).
 */
export const KIND_METADATA_KEY = 'testmancer-error-kind';
const KINDS_SHARING_A_CODE: ReadonlySet<DomainErrorKind> = new Set(['too_large', 'unsupported']);

const codeByKind: Record<DomainErrorKind, Status> = {
  invalid: Status.INVALID_ARGUMENT,
  not_found: Status.NOT_FOUND,
  forbidden: Status.PERMISSION_DENIED,
  conflict: Status.ALREADY_EXISTS,
  stale: Status.FAILED_PRECONDITION,
  too_large: Status.RESOURCE_EXHAUSTED,
  unsupported: Status.INVALID_ARGUMENT,
  unavailable: Status.UNAVAILABLE,
};

export type GrpcError = Partial<ServiceError> & { code: Status; details: string; metadata: Metadata };

/**
 * The one place where a service's errors become gRPC statuses. Domain errors
 * keep their message; anything else is an internal error whose details say
 * nothing about the cause (the cause goes to the log, never to the caller).
 */
export function toGrpcError(error: unknown): GrpcError {
  const metadata = new Metadata();
  if (isDomainError(error)) {
    if (error.issues.length > 0) metadata.set(ISSUES_METADATA_KEY, JSON.stringify(error.issues));
    if (KINDS_SHARING_A_CODE.has(error.kind)) metadata.set(KIND_METADATA_KEY, error.kind);
    return { name: 'DomainError', message: error.message, code: codeByKind[error.kind], details: error.message, metadata };
  }
  if (isDatabaseUnreachable(error)) {
    return {
      name: 'Unavailable',
      message: 'the database is unavailable',
      code: Status.UNAVAILABLE,
      details: 'the database is unavailable',
      metadata,
    };
  }
  if (isGrpcStatus(error)) {
    // A downstream call failed: pass availability problems on, hide the rest.
    if (error.code === Status.UNAVAILABLE || error.code === Status.DEADLINE_EXCEEDED) {
      return {
        name: 'Unavailable',
        message: 'a dependency is unavailable',
        code: Status.UNAVAILABLE,
        details: 'a dependency is unavailable',
        metadata,
      };
    }
  }
  return { name: 'Internal', message: 'internal error', code: Status.INTERNAL, details: 'internal error', metadata };
}

export function isGrpcStatus(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && typeof (error as ServiceError).code === 'number' && 'metadata' in error;
}

/** Reads the field issues a service attached to an INVALID_ARGUMENT status. */
export function issuesOf(error: ServiceError): FieldIssue[] {
  const raw = error.metadata?.get(ISSUES_METADATA_KEY)[0];
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
export function errorKindOf(error: ServiceError): DomainErrorKind | undefined {
  const raw = error.metadata?.get(KIND_METADATA_KEY)[0];
  return typeof raw === 'string' && KINDS_SHARING_A_CODE.has(raw as DomainErrorKind) ? (raw as DomainErrorKind) : undefined;
}
