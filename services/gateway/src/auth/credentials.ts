import type { Caller, ServiceIdentity } from '@testmancer/shared';
import { LRUCache } from 'lru-cache';

/** A minted user token is reused for this long (it lives a minute): the services then find it verified already. */
const REUSE_MS = 30_000;

/**
 * The user's credential for the services: a token only the gateway can sign,
 * minted once the user's own bearer token is verified, carrying the same
 * id, role and scopes. Reused for a while per user, so that neither the
 * gateway nor the services check a signature on every request.
 */
export function credentialMinter(identity: ServiceIdentity): (caller: Extract<Caller, { kind: 'user' }>) => Promise<string> {
  const minted = new LRUCache<string, Promise<string>>({ max: 50_000, ttl: REUSE_MS });
  return (caller) => {
    const key = `${caller.userId}|${caller.role}|${caller.categoryIds.join(',')}`;
    let token = minted.get(key);
    if (!token) {
      token = identity.userToken(caller);
      minted.set(key, token);
      token.catch(() => minted.delete(key));
    }
    return token;
  };
}
