import type { Caller } from '@testmancer/shared';
import {
  assertMayAuthor,
  assertMayAuthorIn,
  assertVisible,
  COURSE_STATUSES,
  mayAuthorIn,
  maySee,
  visibleCourses,
  type CourseStatus,
} from '../../src/domain';
import { domainError, oid } from './helpers';

const [IN, OUT, OTHER] = [oid(1), oid(2), oid(3)];

const callers = {
  admin: { kind: 'user', userId: 'a', role: 'admin', categoryIds: [] },
  subadmin: { kind: 'user', userId: 's', role: 'subadmin', categoryIds: [IN, OTHER] },
  student: { kind: 'user', userId: 'st', role: 'student', categoryIds: [] },
  anonymous: { kind: 'anonymous' },
} satisfies Record<string, Caller>;
type Who = keyof typeof callers;

const course = (status: CourseStatus, categoryId = IN) => ({ status, categoryId });

describe('authoring', () => {
  it.each<[Who, string, boolean]>([
    ['admin', IN, true],
    ['admin', OUT, true],
    ['subadmin', IN, true],
    ['subadmin', OUT, false],
    ['student', IN, false],
    ['anonymous', IN, false],
  ])('%s in %s: %p', (who, categoryId, allowed) => {
    expect(mayAuthorIn(callers[who], categoryId)).toBe(allowed);
    if (allowed) expect(() => assertMayAuthorIn(callers[who], categoryId)).not.toThrow();
    else domainError(() => assertMayAuthorIn(callers[who], categoryId), 'forbidden');
  });

  it('matches scope ids whatever their case', () => {
    const shouting: Caller = { ...callers.subadmin, categoryIds: [IN.toUpperCase()] };
    expect(mayAuthorIn(shouting, IN)).toBe(true);
  });
});

describe('seeing and changing one course', () => {
  // [caller, status, category] → what a read and a change answer
  it.each<[Who, CourseStatus, string, 'ok' | 'not_found', 'ok' | 'not_found' | 'forbidden']>([
    ['admin', 'draft', OUT, 'ok', 'ok'],
    ['admin', 'archived', OUT, 'ok', 'ok'],
    ['subadmin', 'draft', IN, 'ok', 'ok'],
    ['subadmin', 'archived', IN, 'ok', 'ok'],
    ['subadmin', 'published', OUT, 'ok', 'forbidden'],
    ['subadmin', 'draft', OUT, 'not_found', 'not_found'],
    ['subadmin', 'archived', OUT, 'not_found', 'not_found'],
    ['student', 'published', IN, 'ok', 'forbidden'],
    ['student', 'draft', IN, 'not_found', 'not_found'],
    ['student', 'archived', IN, 'not_found', 'not_found'],
    ['anonymous', 'published', IN, 'ok', 'forbidden'],
    ['anonymous', 'draft', IN, 'not_found', 'not_found'],
  ])('%s, %s course in %s: read %s, change %s', (who, status, categoryId, read, change) => {
    const target = course(status, categoryId);
    expect(maySee(callers[who], target)).toBe(read === 'ok');
    if (read === 'ok') expect(() => assertVisible(callers[who], target)).not.toThrow();
    else expect(domainError(() => assertVisible(callers[who], target), 'not_found').message).toBe('course not found');
    if (change === 'ok') expect(() => assertMayAuthor(callers[who], target)).not.toThrow();
    else domainError(() => assertMayAuthor(callers[who], target), change);
  });
});

describe('visibleCourses', () => {
  it('admins see everything; students and anonymous callers what is published', () => {
    expect(visibleCourses(callers.admin)).toEqual([{}]);
    expect(visibleCourses(callers.student)).toEqual([{ statuses: ['published'] }]);
    expect(visibleCourses(callers.anonymous)).toEqual([{ statuses: ['published'] }]);
  });

  it('subadmins see what is published plus everything in their scope', () => {
    expect(visibleCourses(callers.subadmin)).toEqual([{ statuses: ['published'] }, { categoryIds: [IN, OTHER] }]);
    expect(visibleCourses({ ...callers.subadmin, categoryIds: [] })).toEqual([{ statuses: ['published'] }]);
  });

  it('narrows by status, leaving out what another alternative covers', () => {
    expect(visibleCourses(callers.subadmin, { status: 'published' })).toEqual([{ statuses: ['published'] }]);
    expect(visibleCourses(callers.subadmin, { status: 'draft' })).toEqual([{ statuses: ['draft'], categoryIds: [IN, OTHER] }]);
    expect(visibleCourses(callers.student, { status: 'draft' })).toEqual([]);
    expect(visibleCourses(callers.admin, { status: 'archived' })).toEqual([{ statuses: ['archived'] }]);
  });

  it('narrows by category', () => {
    expect(visibleCourses(callers.subadmin, { categoryId: IN })).toEqual([{ categoryIds: [IN] }]);
    expect(visibleCourses(callers.subadmin, { categoryId: OUT })).toEqual([{ statuses: ['published'], categoryIds: [OUT] }]);
    expect(visibleCourses(callers.student, { categoryId: IN, status: 'published' })).toEqual([
      { statuses: ['published'], categoryIds: [IN] },
    ]);
    expect(visibleCourses(callers.admin, { categoryId: OUT.toUpperCase() })).toEqual([{ categoryIds: [OUT] }]);
  });

  // The clauses and the per-course rule must agree for every caller, status and category.
  it.each(Object.keys(callers) as Who[])('agrees with maySee for %s', (who) => {
    const matches = (clauses: ReturnType<typeof visibleCourses>, c: { status: CourseStatus; categoryId: string }) =>
      clauses.some((k) => (k.statuses ?? [c.status]).includes(c.status) && (k.categoryIds ?? [c.categoryId]).includes(c.categoryId));
    for (const status of COURSE_STATUSES) {
      for (const categoryId of [IN, OUT]) {
        const target = course(status, categoryId);
        expect(matches(visibleCourses(callers[who]), target)).toBe(maySee(callers[who], target));
        for (const filter of [{ status }, { categoryId }, { status: 'published' as const, categoryId: IN }]) {
          const passes = (filter.status ?? status) === status && (filter.categoryId ?? categoryId) === categoryId;
          expect(matches(visibleCourses(callers[who], filter), target)).toBe(passes && maySee(callers[who], target));
        }
      }
    }
  });
});
