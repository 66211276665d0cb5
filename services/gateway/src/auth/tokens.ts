import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
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

/** Tokens whose check is remembered until they expire: about one per active user. */
const REMEMBERED_TOKENS = 100_000;

export function createTokenVerifier(config: VerifierConfig): TokenVerifier {
  // A token without an expiry would be good forever: refused, whichever way tokens are verified.
  const options = {
    requiredClaims: ['exp'],
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
  };
  let verify: (token: string) => Promise<JWTPayload>;
  if (config.jwksUrl) {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl));
    verify = async (token) => (await jwtVerify(token, keys, options)).payload;
  } else if (config.secret) {
    const key = new TextEncoder().encode(config.secret);
    verify = async (token) => (await jwtVerify(token, key, { ...options, algorithms: ['HS256'] })).payload;
  } else {
    throw new Error('a token verifier needs a secret or a JWKS URL');
  }
  // A token is the same caller until its `exp` (the only thing that changes
  // its answer): checked once, then looked up, so a user's requests cost no
  // signature check and no parse each. Refusals are not remembered.
  const verified = new LRUCache<string, { caller: Caller; until: number }>({ max: REMEMBERED_TOKENS });
  return async (token) => {
    const known = verified.get(token);
    if (known && known.until > Date.now()) return known.caller;
    let payload: JWTPayload;
    try {
      payload = await verify(token);
    } catch {
      throw new InvalidToken('the bearer token is invalid or expired');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new InvalidToken('the bearer token lacks a valid sub, role or scopes claim');
    const caller = callerFromClaims(claims.data);
    verified.set(token, { caller, until: (payload.exp ?? 0) * 1000 });
    return caller;
  };
}
