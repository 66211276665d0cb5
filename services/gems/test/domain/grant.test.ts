import { DomainError, type Caller } from '@testmancer/shared';
import { assertMayGrant, assertSameGrant, balanceOwner, historyLimit, validateGrant, type GrantEntry } from '../../src/domain/grant';

const USER = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const OTHER = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const valid = { key: 'quiz:q:user:u', userId: USER, amount: 5, source: 'quiz:q', reason: 'first attempt' };

function issuesOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).issues;
  }
  throw new Error('expected a DomainError');
}

describe('validateGrant', () => {
  it('accepts a grant, trimming the key and lower-casing the user id', () => {
    expect(validateGrant({ ...valid, key: ' k ', userId: USER.toUpperCase() })).toEqual({ ...valid, key: 'k' });
  });

  it('refuses a zero amount, and more than the largest reward a quiz can have (a caller cannot mint gems at will)', () => {
    for (const amount of [0, 10_001, 2 ** 31 - 1])
      expect(issuesOf(() => validateGrant({ ...valid, amount }))).toEqual([
        { path: 'amount', message: 'must be a whole number from 1 to 10000' },
      ]);
    expect(validateGrant({ ...valid, amount: 10_000 }).amount).toBe(10_000);
  });

  it('names every bad field', () => {
    expect(
      issuesOf(() => validateGrant({ key: ' ', userId: 'nope', amount: -1, source: 's'.repeat(201), reason: 'r'.repeat(501) })),
    ).toEqual([
      { path: 'idempotencyKey', message: 'must be 1 to 200 characters' },
      { path: 'userId', message: 'must be a 24-character hexadecimal id' },
      { path: 'amount', message: 'must be a whole number from 1 to 10000' },
      { path: 'source', message: 'must be at most 200 characters' },
      { path: 'reason', message: 'must be at most 500 characters' },
    ]);
  });
});

describe('assertSameGrant', () => {
  const recorded: GrantEntry = { ...valid, id: 'x', grantedAt: new Date(0), applied: true, inLegacyGems: false };

  it('lets a true repeat through', () => {
    expect(() => assertSameGrant(recorded, { ...valid, reason: 'other text' })).not.toThrow();
  });

  it.each([{ amount: 6 }, { userId: OTHER }])('refuses a key reused for another grant (%p)', (change) => {
    expect(() => assertSameGrant(recorded, { ...valid, ...change })).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });
});

describe('historyLimit', () => {
  it('defaults to 50 and allows 1 to 500', () => {
    expect(historyLimit(0)).toBe(50);
    expect(historyLimit(1)).toBe(1);
    expect(historyLimit(500)).toBe(500);
  });

  it.each([-1, 501])('refuses %i', (limit) => {
    expect(issuesOf(() => historyLimit(limit))).toEqual([{ path: 'historyLimit', message: 'must be between 1 and 500' }]);
  });
});

describe('balanceOwner', () => {
  const student: Caller = { kind: 'user', userId: USER, role: 'student', categoryIds: [] };
  const admin: Caller = { kind: 'user', userId: OTHER, role: 'admin', categoryIds: [] };

  it('gives callers their own balance by default', () => {
    expect(balanceOwner(student, '')).toBe(USER);
    expect(balanceOwner(student, USER.toUpperCase())).toBe(USER);
  });

  it("lets admins read anyone's balance and nobody else", () => {
    expect(balanceOwner(admin, USER)).toBe(USER);
    expect(() => balanceOwner(student, OTHER)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    expect(() => balanceOwner({ ...student, role: 'subadmin' }, OTHER)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    expect(() => balanceOwner({ kind: 'anonymous' }, USER)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });

  it('refuses a user id that is not an id', () => {
    expect(() => balanceOwner(admin, 'me')).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });
});

describe('assertMayGrant', () => {
  it('lets the quiz service grant, and refuses every other service', () => {
    expect(() => assertMayGrant('quiz')).not.toThrow();
    for (const service of ['gateway', 'content', 'media', 'gems']) expect(() => assertMayGrant(service)).toThrow(/may not grant gems/);
  });
});
