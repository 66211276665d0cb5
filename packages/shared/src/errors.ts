/**
 * Domain errors: the only errors services throw on purpose. Exactly one place
 * (`grpc/status.ts`) turns them into gRPC statuses, and exactly one place in
 * the gateway turns gRPC statuses into problem+json.
 */
export type DomainErrorKind =
  | 'invalid' // bad input the caller can fix (400)
  | 'not_found' // unknown, or not visible to the caller (404)
  | 'forbidden' // visible but not allowed (403)
  | 'conflict' // already exists, or a state that forbids the change (409)
  | 'stale' // If-Match / expected version no longer current (412)
  | 'too_large' // past a size limit or a quota (413)
  | 'unsupported' // a kind of input this operation does not take, e.g. a file format (415)
  | 'busy' // too many of these at once (a bound on concurrent work); try again in a moment (429)
  | 'unavailable'; // a dependency is down; try again later (503)

export interface FieldIssue {
  /** JSON-pointer-like path of the offending input, e.g. `blocks/2/url`. */
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (message: string, issues: readonly FieldIssue[] = []) => new DomainError('invalid', message, issues);
export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const conflict = (message: string) => new DomainError('conflict', message);
export const stale = (what: string, current: number) => new DomainError('stale', `${what} has changed: its current version is ${current}`);
export const tooLarge = (message: string) => new DomainError('too_large', message);
export const unsupported = (message: string) => new DomainError('unsupported', message);
export const unavailable = (message: string) => new DomainError('unavailable', message);
export const busy = (message: string) => new DomainError('busy', message);

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
