import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Caller } from '@testmancer/shared';
import { callerFromClaims, claimsSchema } from './caller';

export interface VerifierConfig {
  /** HS256 shared secret (local and test). */
  secret?: string;
  /** JWKS URL of the identity provider (production; the local provider in `make dev`). */
  jwksUrl?: string;
  /** The provider's tokens must name these; the secret is a trust root of its own. */
  issuer?: string;
  audience?: string;
}

export class InvalidToken extends Error {}

export type TokenVerifier = (token: string) => Promise<Caller>;

/** Tokens whose check is remembered until they expire: about one per active user. */
const REMEMBERED_TOKENS = 100_000;

export function createTokenVerifier(config: VerifierConfig): TokenVerifier {
  // A token without an expiry would be good forever: refused, whichever way tokens are verified.
  const options = { requiredClaims: ['exp'] };
  const providerOptions = {
    ...options,
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
  };
  const bySecret = config.secret ? new TextEncoder().encode(config.secret) : undefined;
  const byProvider: JWTVerifyGetKey | undefined = config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl)) : undefined;
  if (!bySecret && !byProvider) throw new Error('a token verifier needs a secret or a JWKS URL');
  // With both (make dev: people sign in through the local provider, tools
  // sign with the development secret), a token's algorithm says which key
  // checks it; a secret-signed token is never checked against the provider's
  // keys, nor the reverse.
  const verify = async (token: string): Promise<JWTPayload> => {
    const signedWithSecret = decodeProtectedHeader(token).alg === 'HS256';
    if (signedWithSecret && bySecret) return (await jwtVerify(token, bySecret, { ...options, algorithms: ['HS256'] })).payload;
    if (!signedWithSecret && byProvider) return (await jwtVerify(token, byProvider, providerOptions)).payload;
    throw new InvalidToken('the token is signed in a way this gateway does not accept');
  };
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
