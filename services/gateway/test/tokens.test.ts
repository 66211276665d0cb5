import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signToken } from '@testmancer/shared';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createTokenVerifier, InvalidToken } from '../src/auth/tokens';

const SECRET = 'a-secret-of-the-test-only-0123456789';
const sub = 'a0a0a0a0a0a0a0a0a0a0a0a0';

// Verified tokens are remembered until they expire: what must hold is that the memory never answers differently than a check would.
describe('the bearer token verifier', () => {
  test('answers a token seen before with the same caller, and refuses it once it has expired', async () => {
    const verify = createTokenVerifier({ secret: SECRET });
    const token = await signToken({ sub, role: 'subadmin', categoryIds: ['c0c0c0c0c0c0c0c0c0c0c0c0'], expiresIn: '2s' }, SECRET);
    const first = await verify(token);
    expect(first).toEqual({ kind: 'user', userId: sub, role: 'subadmin', categoryIds: ['c0c0c0c0c0c0c0c0c0c0c0c0'] });
    expect(await verify(token)).toEqual(first);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await expect(verify(token)).rejects.toThrow(new InvalidToken('the bearer token is invalid or expired'));
  });

  test('refuses a token signed with another secret every time, even after a good one of the same user', async () => {
    const verify = createTokenVerifier({ secret: SECRET });
    await verify(await signToken({ sub, role: 'student' }, SECRET));
    const forged = await signToken({ sub, role: 'admin' }, 'another-secret-of-the-same-length-012');
    for (let i = 0; i < 2; i += 1) await expect(verify(forged)).rejects.toThrow(InvalidToken);
  });

  test('refuses a token with a valid signature but no valid role, every time', async () => {
    const verify = createTokenVerifier({ secret: SECRET });
    const token = await signToken({ sub: 'not-an-id', role: 'student' }, SECRET);
    for (let i = 0; i < 2; i += 1) await expect(verify(token)).rejects.toThrow(/lacks a valid sub, role or scopes/);
  });
});

describe('trusting an identity provider and the development secret at once (make dev)', () => {
  const ISSUER = 'http://127.0.0.1/provider';
  const AUDIENCE = 'urn:testmancer:api';
  let jwks: http.Server;
  let jwksUrl: string;
  let providerKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    providerKey = privateKey;
    const body = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig', kid: 'k1' }] });
    jwks = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise((resolve) => jwks.close(resolve)));

  const providerToken = (claims: { iss?: string; aud?: string; role?: string }) =>
    new SignJWT({ role: claims.role ?? 'admin' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
      .setSubject(sub)
      .setIssuer(claims.iss ?? ISSUER)
      .setAudience(claims.aud ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(providerKey);

  test("the provider's tokens pass only with its issuer and the gateway's audience; the secret's pass without them", async () => {
    const verify = createTokenVerifier({ secret: SECRET, jwksUrl, issuer: ISSUER, audience: AUDIENCE });
    await expect(verify(await providerToken({}))).resolves.toMatchObject({ userId: sub, role: 'admin' });
    await expect(verify(await providerToken({ aud: 'urn:another:api' }))).rejects.toThrow(InvalidToken);
    await expect(verify(await providerToken({ iss: 'http://127.0.0.1/another' }))).rejects.toThrow(InvalidToken);
    await expect(verify(await signToken({ sub, role: 'student' }, SECRET))).resolves.toMatchObject({ role: 'student' });
  });

  test('with the provider alone, a token signed with the development secret is refused', async () => {
    const verify = createTokenVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE });
    await expect(verify(await signToken({ sub, role: 'admin' }, SECRET))).rejects.toThrow(InvalidToken);
    await expect(verify('not.a.token')).rejects.toThrow(InvalidToken);
    await expect(verify(await providerToken({}))).resolves.toMatchObject({ role: 'admin' });
  });
});
