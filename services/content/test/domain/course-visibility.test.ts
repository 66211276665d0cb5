import { maySeeCourse, type Caller } from '@testmancer/shared';
import { COURSE_STATUSES, visibleCourses, type CourseStatus } from '../../src/domain';
import { oid } from './helpers';

const [IN, OUT, OTHER] = [oid(1), oid(2), oid(3)];

const callers = {
  admin: { kind: 'user', userId: 'a', role: 'admin', categoryIds: [] },
  subadmin: { kind: 'user', userId: 's', role: 'subadmin', categoryIds: [IN, OTHER] },
  student: { kind: 'user', userId: 'st', role: 'student', categoryIds: [] },
  anonymous: { kind: 'anonymous' },
} satisfies Record<string, Caller>;
type Who = keyof typeof callers;

const course = (status: CourseStatus, categoryId = IN) => ({ status, categoryId });

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
  it.each(Object.keys(callers) as Who[])('agrees with the shared maySeeCourse for %s', (who) => {
    const matches = (clauses: ReturnType<typeof visibleCourses>, c: { status: CourseStatus; categoryId: string }) =>
      clauses.some((k) => (k.statuses ?? [c.status]).includes(c.status) && (k.categoryIds ?? [c.categoryId]).includes(c.categoryId));
    for (const status of COURSE_STATUSES) {
      for (const categoryId of [IN, OUT]) {
        const target = course(status, categoryId);
        expect(matches(visibleCourses(callers[who]), target)).toBe(maySeeCourse(callers[who], target));
        for (const filter of [{ status }, { categoryId }, { status: 'published' as const, categoryId: IN }]) {
          const passes = (filter.status ?? status) === status && (filter.categoryId ?? categoryId) === categoryId;
          expect(matches(visibleCourses(callers[who], filter), target)).toBe(passes && maySeeCourse(callers[who], target));
        }
      }
    }
  });
});
