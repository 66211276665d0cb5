import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Caller } from '@testmancer/shared';
import { callerFromClaims, claimsSchema } from './caller';

export interface VerifierConfig {
  /** HS256 shared secret (local and test). */
  secret?: string;
  /** JWKS URL of the identity provider (production). */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

export class InvalidToken extends Error {}

export type TokenVerifier = (token: string) => Promise<Caller>;

export function createTokenVerifier(config: VerifierConfig): TokenVerifier {
  // A token without an expiry would be good forever: refused, whichever way tokens are verified.
  const options = {
    requiredClaims: ['exp'],
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
  };
  let verify: (token: string) => Promise<unknown>;
  if (config.jwksUrl) {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl));
    verify = async (token) => (await jwtVerify(token, keys, options)).payload;
  } else if (config.secret) {
    const key = new TextEncoder().encode(config.secret);
    verify = async (token) => (await jwtVerify(token, key, { ...options, algorithms: ['HS256'] })).payload;
  } else {
    throw new Error('a token verifier needs a secret or a JWKS URL');
  }
  return async (token) => {
    let payload: unknown;
    try {
      payload = await verify(token);
    } catch {
      throw new InvalidToken('the bearer token is invalid or expired');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new InvalidToken('the bearer token lacks a valid sub, role or scopes claim');
    return callerFromClaims(claims.data);
  };
}
