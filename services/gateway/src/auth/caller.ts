import { objectIdText, ROLES, type Caller } from '@testmancer/shared';
import { z } from 'zod';

const objectId = objectIdText();

/** The claims the platform reads from a verified token. */
export const claimsSchema = z.object({
  // User ids are ObjectIds everywhere behind the gateway: a token naming anything else is a bad token, refused here once.
  sub: objectId,
  role: z.enum(ROLES),
  scopes: z.object({ categoryIds: z.array(objectId).max(1000) }).optional(),
});

export type Claims = z.infer<typeof claimsSchema>;

export function callerFromClaims(claims: Claims): Caller {
  return {
    kind: 'user',
    userId: claims.sub,
    role: claims.role,
    // Scopes mean something only for subadmins: an admin is unrestricted and a student authors nothing.
    categoryIds: claims.role === 'subadmin' ? (claims.scopes?.categoryIds ?? []) : [],
  };
}
