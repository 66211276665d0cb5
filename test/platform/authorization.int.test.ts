import { api, expectProblem, newId, uniqueName, user, type TestUser } from '../support/api';
import { expectStatus, markdown, must, newCategory, newCourseTree, type CourseTree } from '../support/content';

/** One write operation of the API against a course tree, and what it answers when allowed. */
interface WriteOperation {
  name: string;
  success: number;
  request(tree: CourseTree): { method: string; path: string; body?: unknown };
}

const course = (t: CourseTree) => `/api/courses/${t.courseId}`;
const unit = (t: CourseTree) => `${course(t)}/units/${t.unitIds[0]}`;

const writes: WriteOperation[] = [
  { name: 'PATCH course', success: 200, request: (t) => ({ method: 'PATCH', path: course(t), body: { title: uniqueName('renamed') } }) },
  { name: 'publish', success: 200, request: (t) => ({ method: 'POST', path: `${course(t)}/publish` }) },
  { name: 'unpublish', success: 200, request: (t) => ({ method: 'POST', path: `${course(t)}/unpublish` }) },
  { name: 'DELETE course', success: 200, request: (t) => ({ method: 'DELETE', path: course(t) }) },
  {
    name: 'POST unit',
    success: 201,
    request: (t) => ({ method: 'POST', path: `${course(t)}/units`, body: { title: 'New unit', position: 1 } }),
  },
  { name: 'PATCH unit', success: 200, request: (t) => ({ method: 'PATCH', path: unit(t), body: { title: 'Renamed unit' } }) },
  { name: 'DELETE unit', success: 204, request: (t) => ({ method: 'DELETE', path: unit(t) }) },
  {
    name: 'PUT units/order',
    success: 200,
    request: (t) => ({ method: 'PUT', path: `${course(t)}/units/order`, body: { unitIds: [...t.unitIds].reverse() } }),
  },
  {
    name: 'POST page',
    success: 201,
    request: (t) => ({ method: 'POST', path: `${unit(t)}/pages`, body: { title: 'New page', blocks: [markdown('x')] } }),
  },
  {
    name: 'PATCH page',
    success: 200,
    request: (t) => ({ method: 'PATCH', path: `${unit(t)}/pages/1`, body: { blocks: [markdown('changed')] } }),
  },
  { name: 'DELETE page', success: 204, request: (t) => ({ method: 'DELETE', path: `${unit(t)}/pages/1` }) },
  {
    name: 'PUT pages/order',
    success: 200,
    request: (t) => ({ method: 'PUT', path: `${unit(t)}/pages/order`, body: { pageIds: [...t.pageIds[0]!].reverse() } }),
  },
];

type Role = 'anonymous' | 'student' | 'subadmin in scope' | 'subadmin out of scope' | 'admin';

async function caller(role: Role, categoryId: string): Promise<TestUser | undefined> {
  switch (role) {
    case 'anonymous':
      return undefined;
    case 'student':
      return user('student');
    case 'subadmin in scope':
      return user('subadmin', [newId(), categoryId]);
    case 'subadmin out of scope':
      return user('subadmin', [newId()]);
    case 'admin':
      return user('admin');
  }
}

/** What a write answers, by role and by whether the course is published. */
const expectedWrite: Record<Role, (success: number, published: boolean) => number> = {
  anonymous: () => 401,
  student: () => 403,
  'subadmin out of scope': (_success, published) => (published ? 403 : 404),
  'subadmin in scope': (success) => success,
  admin: (success) => success,
};

const courseVersion = async (t: CourseTree) => (await must(200, 'GET', course(t), { as: await user('admin') })).version as number;

describe('authorization of writes', () => {
  const cases = writes.flatMap((operation) =>
    (Object.keys(expectedWrite) as Role[]).flatMap((role) =>
      [false, true].map((published) => ({ operation, role, published, status: expectedWrite[role](operation.success, published) })),
    ),
  );

  test.each(cases)(
    '$operation.name as $role on a published=$published course → $status',
    async ({ operation, role, published, status }) => {
      const tree = await newCourseTree({ units: 2, pages: 2, published });
      const before = await courseVersion(tree);
      const { method, path, body } = operation.request(tree);
      const res = await api(method, path, { as: await caller(role, tree.categoryId), body });
      if (status >= 400) {
        expectProblem(res, status);
        expect(await courseVersion(tree)).toBe(before);
      } else {
        expectStatus(res, status);
      }
    },
  );

  test.each(['anonymous', 'student', 'subadmin out of scope', 'subadmin in scope', 'admin'] as Role[])(
    'POST /api/courses as %s',
    async (role) => {
      const categoryId = await newCategory();
      const res = await api('POST', '/api/courses', {
        as: await caller(role, categoryId),
        body: { title: uniqueName('c'), categoryId, structure: { unitType: 'unit' } },
      });
      const status = { anonymous: 401, student: 403, 'subadmin out of scope': 403, 'subadmin in scope': 201, admin: 201 }[role];
      if (status >= 400) expectProblem(res, status);
      else expectStatus(res, status);
    },
  );
});

describe('authorization of reads', () => {
  const reads: { name: string; path: (t: CourseTree) => string }[] = [
    { name: 'GET course', path: course },
    { name: 'GET units', path: (t) => `${course(t)}/units` },
    { name: 'GET modules', path: (t) => `${course(t)}/modules` },
    { name: 'GET unit', path: unit },
    { name: 'GET pages', path: (t) => `${unit(t)}/pages` },
    { name: 'GET page', path: (t) => `${unit(t)}/pages/1` },
  ];
  const roles: Role[] = ['anonymous', 'student', 'subadmin out of scope', 'subadmin in scope', 'admin'];
  const canSeeDrafts = (role: Role) => role === 'admin' || role === 'subadmin in scope';
  const trees: Record<'draft' | 'published', CourseTree> = {} as never;
  beforeAll(async () => {
    const categoryId = await newCategory();
    [trees.draft, trees.published] = await Promise.all([
      newCourseTree({ categoryId, units: 1, pages: 1 }),
      newCourseTree({ categoryId, units: 1, pages: 1, published: true }),
    ]);
  });

  const cases = reads.flatMap((read) =>
    roles.flatMap((role) =>
      (['draft', 'published'] as const).map((state) => ({
        read,
        role,
        state,
        status: state === 'published' || canSeeDrafts(role) ? 200 : 404,
      })),
    ),
  );

  test.each(cases)('$read.name as $role on a $state course → $status', async ({ read, role, state, status }) => {
    const tree = trees[state];
    const res = await api('GET', read.path(tree), { as: await caller(role, tree.categoryId) });
    if (status === 404) expectProblem(res, 404);
    else expectStatus(res, 200);
  });

  test.each(roles)('GET /api/courses as %s lists drafts only to their authors', async (role) => {
    const list = await must(200, 'GET', `/api/courses?categoryId=${trees.draft.categoryId}`, {
      as: await caller(role, trees.draft.categoryId),
    });
    const expected = canSeeDrafts(role) ? [trees.draft.courseId, trees.published.courseId] : [trees.published.courseId];
    expect(list.items.map((c: { id: string }) => c.id).sort()).toEqual(expected.sort());
  });
});
