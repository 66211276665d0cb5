import type { Caller } from '@testmancer/shared';
import { progressOwner } from '../../src/application/progress';
import { CATEGORY, domainError, oid } from '../domain/helpers';

describe('progressOwner', () => {
  const published = { categoryId: CATEGORY, status: 'published' as const };
  const student: Caller = { kind: 'user', userId: oid(7).toUpperCase(), role: 'student', categoryIds: [] };
  const admin: Caller = { kind: 'user', userId: oid(8), role: 'admin', categoryIds: [] };
  const inScope: Caller = { kind: 'user', userId: oid(9), role: 'subadmin', categoryIds: [CATEGORY] };
  const outOfScope: Caller = { kind: 'user', userId: oid(10), role: 'subadmin', categoryIds: [oid(11)] };

  test('anyone signed in reads their own, named or not (ids compared in lower case)', () => {
    expect(progressOwner(student, published, '')).toBe(oid(7));
    expect(progressOwner(student, published, oid(7))).toBe(oid(7));
    expect(progressOwner(outOfScope, published, '')).toBe(oid(10));
  });

  test("authors of the course read anyone's", () => {
    expect(progressOwner(admin, published, oid(7).toUpperCase())).toBe(oid(7));
    expect(progressOwner(inScope, published, oid(7))).toBe(oid(7));
  });

  test("a student or an author out of scope may not read another user's: FORBIDDEN", () => {
    domainError(() => progressOwner(student, published, oid(8)), 'forbidden');
    domainError(() => progressOwner(outOfScope, published, oid(7)), 'forbidden');
  });

  test('anonymous callers have no progress: FORBIDDEN', () => {
    domainError(() => progressOwner({ kind: 'anonymous' }, published, ''), 'forbidden');
  });
});
