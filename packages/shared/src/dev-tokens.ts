import { SignJWT } from 'jose';
import type { Role } from './roles';

/** The HS256 secret the local platform, its tests and `npm run token` share. Never a production value. */
export const DEV_JWT_SECRET = 'testmancer-local-development-secret-do-not-use-in-production';

export interface TokenRequest {
  sub: string;
  role: Role;
  categoryIds?: readonly string[];
  expiresIn?: string;
  issuer?: string;
  audience?: string;
}

/** Signs an HS256 bearer token as the identity provider would; for local use and tests. */
export async function signToken(request: TokenRequest, secret: string = DEV_JWT_SECRET): Promise<string> {
  const jwt = new SignJWT({
    role: request.role,
    ...(request.role === 'subadmin' ? { scopes: { categoryIds: [...(request.categoryIds ?? [])] } } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '12h');
  if (request.issuer) jwt.setIssuer(request.issuer);
  if (request.audience) jwt.setAudience(request.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
