import {
  assertAdmin,
  assertMayAuthorCourse,
  assertMayAuthorIn,
  assertMaySeeCourse,
  assertSignedIn,
  isAuthor,
  mayAuthorIn,
  mayReadUserData,
  maySeeCourse,
  type Caller,
} from '../src';

const CATEGORY = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const OTHER = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const admin: Caller = { kind: 'user', userId: '111111111111111111111111', role: 'admin', categoryIds: [] };
const subadmin: Caller = { kind: 'user', userId: '222222222222222222222222', role: 'subadmin', categoryIds: [CATEGORY.toUpperCase()] };
const student: Caller = { kind: 'user', userId: '333333333333333333333333', role: 'student', categoryIds: [] };
const anonymous: Caller = { kind: 'anonymous' };
const draft = { categoryId: CATEGORY, status: 'draft' };
const publishedElsewhere = { categoryId: OTHER, status: 'published' };

describe('the authorization rule', () => {
  it('lets admins author everywhere, subadmins in their categories (ids compared case-blind), nobody else', () => {
    expect([admin, subadmin, student, anonymous].map((c) => mayAuthorIn(c, CATEGORY))).toEqual([true, true, false, false]);
    expect([admin, subadmin, student, anonymous].map((c) => mayAuthorIn(c, OTHER))).toEqual([true, false, false, false]);
    expect([admin, subadmin, student, anonymous].map(isAuthor)).toEqual([true, true, false, false]);
  });

  it('shows published courses to everyone and drafts to their authors only', () => {
    expect([admin, subadmin, student, anonymous].map((c) => maySeeCourse(c, draft))).toEqual([true, true, false, false]);
    expect([admin, subadmin, student, anonymous].map((c) => maySeeCourse(c, publishedElsewhere))).toEqual([true, true, true, true]);
  });

  it('hides a course the caller may not see (not found) and refuses a change to one they only see (forbidden)', () => {
    expect(() => assertMaySeeCourse(student, draft)).toThrow(expect.objectContaining({ kind: 'not_found' }));
    expect(() => assertMayAuthorCourse(student, draft)).toThrow(expect.objectContaining({ kind: 'not_found' }));
    expect(() => assertMayAuthorCourse(subadmin, publishedElsewhere)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    expect(() => assertMayAuthorCourse(subadmin, draft)).not.toThrow();
    expect(() => assertMayAuthorIn(subadmin, OTHER)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });

  it("lets users read their own data, admins anyone's, and a course's authors that course's", () => {
    const someone = '444444444444444444444444';
    expect(mayReadUserData(student, student.kind === 'user' ? student.userId.toUpperCase() : '')).toBe(true);
    expect(mayReadUserData(student, someone)).toBe(false);
    expect(mayReadUserData(admin, someone)).toBe(true);
    expect(mayReadUserData(subadmin, someone)).toBe(false);
    expect(mayReadUserData(subadmin, someone, draft)).toBe(true);
    expect(mayReadUserData(subadmin, someone, publishedElsewhere)).toBe(false);
    expect(mayReadUserData(anonymous, someone, draft)).toBe(false);
  });

  it('names what a refused caller lacks', () => {
    expect(() => assertSignedIn(anonymous, 'see a gem balance')).toThrow('sign in to see a gem balance');
    expect(assertSignedIn(student)).toBe(student);
    expect(() => assertAdmin(subadmin, 'create categories')).toThrow('only admins create categories');
    expect(() => assertAdmin(admin, 'create categories')).not.toThrow();
  });
});
