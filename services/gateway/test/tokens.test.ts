import { signToken } from '@testmancer/shared';
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
