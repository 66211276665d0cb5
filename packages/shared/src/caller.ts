import type { Role } from './roles';

/**
 * Who a request acts for: an authenticated user or nobody. Inside the
 * services a user also carries the credential it was verified from (the
 * gateway's user token), passed on unchanged when a service calls another on
 * the user's behalf.
 */
export type Caller =
  { kind: 'anonymous' } | { kind: 'user'; userId: string; role: Role; categoryIds: readonly string[]; credential?: string };

export const ANONYMOUS: Caller = { kind: 'anonymous' };
