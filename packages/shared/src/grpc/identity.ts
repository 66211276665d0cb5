/**
 * Who calls, on every hop (docs/architecture.md, "Callers that prove who
 * they are"). No service takes an identity from a message field: every call
 * carries credentials in its metadata, and the callee verifies them itself.
 *
 * - The calling service proves itself with a short-lived token it signs
 *   with its own Ed25519 key (`iss`: its name, `aud`: the callee), so the
 *   callee knows which service called (GrantGems answers only quiz).
 * - The end user travels as a token only the gateway can sign (it verified
 *   the user's bearer token at the edge): the user's id, role and scopes.
 *   A service calling another on the user's behalf forwards it unchanged.
 *
 * Keys: `SERVICE_KEY` (this process's private key, PKCS#8 PEM) and
 * `SERVICE_PUBLIC_KEYS` (JSON: service name → SPKI PEM of every caller to
 * trust). Outside production, keys derived from public seeds stand in when
 * they are not set (like the development JWT secret, never for production:
 * a production process refuses to start with them).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Caller } from '../caller';
import { canonicalIdText } from '../ids';
import { ROLES } from '../roles';

/** The processes that call services, by the names their tokens carry. */
export const SERVICE_NAMES = ['gateway', 'content', 'quiz', 'gems', 'media'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Metadata keys: the calling service's token (as a bearer) and the end user's. */
export const SERVICE_TOKEN_METADATA = 'authorization';
export const USER_TOKEN_METADATA = 'testmancer-user';

const ALGORITHM = 'EdDSA';
const USER_ISSUER = 'gateway';
const USER_AUDIENCE = 'testmancer-services';
/** Service tokens live two minutes and are signed again after one; user tokens live a minute. */
const SERVICE_TOKEN_TTL_S = 120;
const USER_TOKEN_TTL_S = 60;

/** Thrown for a missing, malformed, foreign, expired or misaddressed credential. */
export class InvalidCredential extends Error {}

const objectId = canonicalIdText();
const userClaims = z.object({
  sub: objectId,
  role: z.enum(ROLES),
  categoryIds: z.array(objectId).max(1000).default([]),
});

export interface KeyConfig {
  SERVICE_KEY?: string | undefined;
  SERVICE_PUBLIC_KEYS?: string | undefined;
  NODE_ENV?: string | undefined;
}

// An Ed25519 private key in PKCS#8 DER is this prefix and its 32-byte seed.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The development key of a service: derived from a public seed, so anyone can make it. Never a production key. */
export function developmentKey(name: string): KeyObject {
  const seed = createHash('sha256').update(`testmancer-development-service-key:${name}`).digest();
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

const pemOf = (key: KeyObject) => key.export({ format: 'pem', type: key.type === 'private' ? 'pkcs8' : 'spki' }).toString();

export interface ServiceKeys {
  readonly privateKey: KeyObject;
  readonly publicKeys: ReadonlyMap<string, KeyObject>;
}

/** This process's key and the public keys of the services it trusts, from the environment (see the top of this file). */
export function loadServiceKeys(name: ServiceName, env: KeyConfig): ServiceKeys {
  const production = env.NODE_ENV === 'production';
  if (production && (!env.SERVICE_KEY || !env.SERVICE_PUBLIC_KEYS))
    throw new Error('SERVICE_KEY and SERVICE_PUBLIC_KEYS must be set in production (the development keys are public)');
  const privateKey = env.SERVICE_KEY ? createPrivateKey(env.SERVICE_KEY) : developmentKey(name);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('SERVICE_KEY must be an Ed25519 private key (PKCS#8 PEM)');
  if (production && pemOf(createPublicKey(privateKey)) === pemOf(createPublicKey(developmentKey(name))))
    throw new Error('SERVICE_KEY is the public development key: refusing to start in production');
  let publicKeys: Map<string, KeyObject>;
  if (env.SERVICE_PUBLIC_KEYS) {
    const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(env.SERVICE_PUBLIC_KEYS));
    if (!parsed.success) throw new Error('SERVICE_PUBLIC_KEYS must be a JSON object of service name → public key (SPKI PEM)');
    publicKeys = new Map(Object.entries(parsed.data).map(([service, pem]) => [service, createPublicKey(pem)]));
  } else publicKeys = new Map(SERVICE_NAMES.map((service) => [service, createPublicKey(developmentKey(service))]));
  return { privateKey, publicKeys };
}

/** What a callee learns from a call's credentials. */
export interface VerifiedCall {
  /** The calling service. */
  readonly service: string;
  readonly caller: Caller;
}

export class ServiceIdentity {
  private readonly signed = new Map<string, { token: string; renewAt: number }>();
  private readonly verified = new LRUCache<string, { service?: string; caller?: Caller; until: number }>({ max: 20_000 });

  private readonly ownPublicKey: KeyObject;

  constructor(
    readonly name: ServiceName,
    private readonly keys: ServiceKeys,
  ) {
    this.ownPublicKey = createPublicKey(keys.privateKey);
  }

  /** This service's token for calls to `audience`, signed again when half its life has passed. */
  async serviceToken(audience: string): Promise<string> {
    const now = Date.now();
    const cached = this.signed.get(audience);
    if (cached && cached.renewAt > now) return cached.token;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(this.name)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(now / 1000) + SERVICE_TOKEN_TTL_S)
      .sign(this.keys.privateKey);
    this.signed.set(audience, { token, renewAt: now + (SERVICE_TOKEN_TTL_S * 1000) / 2 });
    return token;
  }

  /** A signed-in user as a token for the services: only the gateway mints them, after verifying the user at the edge. */
  async userToken(caller: Extract<Caller, { kind: 'user' }>): Promise<string> {
    if (this.name !== USER_ISSUER) throw new Error('only the gateway mints user tokens');
    return new SignJWT({ role: caller.role, categoryIds: [...caller.categoryIds] })
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(USER_ISSUER)
      .setAudience(USER_AUDIENCE)
      .setSubject(caller.userId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + USER_TOKEN_TTL_S)
      .sign(this.keys.privateKey);
  }

  /**
   * This service's signature of `purpose` and `data`, for something it hands
   * out and later checks itself (a signed URL): only it, or a replica with
   * the same key, can make one. `purpose` keeps one use's signatures from
   * passing for another's.
   */
  signOwn(purpose: string, data: string): string {
    return sign(null, Buffer.from(`${purpose}\n${data}`), this.keys.privateKey).toString('base64url');
  }

  /** Whether `signature` is this service's `signOwn(purpose, data)`. */
  verifyOwn(purpose: string, data: string, signature: string): boolean {
    const bytes = Buffer.from(signature, 'base64url');
    return bytes.length === 64 && verify(null, Buffer.from(`${purpose}\n${data}`), this.ownPublicKey, bytes);
  }

  /**
   * Verifies a call's credentials: the calling service's token (required,
   * addressed to this service) and the user's (optional: anonymous without).
   * Results are kept until the token expires, so a token seen again costs
   * no signature check.
   */
  async verify(serviceToken: string | undefined, userToken: string | undefined): Promise<VerifiedCall> {
    if (!serviceToken) throw new InvalidCredential('no service credential');
    const service = await this.cached(serviceToken, async () => {
      const issuer = peekIssuer(serviceToken);
      const key = issuer === undefined ? undefined : this.keys.publicKeys.get(issuer);
      if (!key) throw new InvalidCredential('a service credential from an unknown service');
      const { payload } = await jwtVerify(serviceToken, key, {
        algorithms: [ALGORITHM],
        audience: this.name,
        issuer,
        requiredClaims: ['exp'],
      });
      return { service: issuer, until: (payload.exp ?? 0) * 1000 };
    });
    if (!userToken) return { service: service.service!, caller: { kind: 'anonymous' } };
    const user = await this.cached(userToken, async () => {
      const key = this.keys.publicKeys.get(USER_ISSUER);
      if (!key) throw new InvalidCredential('no key to verify user credentials with');
      const { payload } = await jwtVerify(userToken, key, {
        algorithms: [ALGORITHM],
        issuer: USER_ISSUER,
        audience: USER_AUDIENCE,
        requiredClaims: ['exp', 'sub'],
      });
      const claims = userClaims.safeParse(payload);
      if (!claims.success) throw new InvalidCredential('a user credential without a valid id, role or scopes');
      const { sub, role, categoryIds } = claims.data;
      const caller: Caller = {
        kind: 'user',
        userId: sub,
        role,
        categoryIds: role === 'subadmin' ? categoryIds : [],
        credential: userToken,
      };
      return { caller, until: (payload.exp ?? 0) * 1000 };
    });
    return { service: service.service!, caller: user.caller! };
  }

  private async cached(
    token: string,
    verify: () => Promise<{ service?: string; caller?: Caller; until: number }>,
  ): Promise<{ service?: string; caller?: Caller }> {
    const known = this.verified.get(token);
    if (known && known.until > Date.now()) return known;
    let result;
    try {
      result = await verify();
    } catch (error) {
      throw error instanceof InvalidCredential ? error : new InvalidCredential('an invalid or expired credential');
    }
    this.verified.set(token, result);
    return result;
  }
}

/** The `iss` of a JWT before its signature is checked: which key to check it with. */
function peekIssuer(token: string): string | undefined {
  const [, payload] = token.split('.');
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString());
    return typeof claims === 'object' && claims !== null && 'iss' in claims && typeof claims.iss === 'string' ? claims.iss : undefined;
  } catch {
    return undefined;
  }
}

/** A fresh key pair for a service, as PEM: what `npm run keys:service` prints and the local platform uses. */
export function newServiceKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey: pemOf(privateKey), publicKey: pemOf(publicKey) };
}
