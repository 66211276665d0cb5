import { api, expectProblem, newId, user, type RequestOptions, type TestUser } from '../support/api';
import { markdown, newCourseTree, readTree, type CourseTree } from '../support/content';

interface BadRequest {
  name: string;
  status: number;
  request: (t: CourseTree) => { method: string; path: string } & Omit<RequestOptions, 'as'>;
  /** A path that errors[] must name (for the 400s that concern a field). */
  errorPath?: RegExp;
}

const course = (t: CourseTree) => `/api/courses/${t.courseId}`;
const unit = (t: CourseTree) => `${course(t)}/units/${t.unitIds[0]}`;
const page = (t: CourseTree) => `${unit(t)}/pages/1`;
const json = { 'content-type': 'application/json' };

const badRequests: BadRequest[] = [
  // malformed JSON
  {
    name: 'malformed JSON in a PATCH',
    status: 400,
    request: (t) => ({ method: 'PATCH', path: course(t), rawBody: '{"title": "x"', headers: json }),
  },
  {
    name: 'malformed JSON in a POST',
    status: 400,
    request: (t) => ({ method: 'POST', path: `${course(t)}/units`, rawBody: "{title: 'x'}", headers: json }),
  },
  { name: 'a JSON scalar as body', status: 400, request: (t) => ({ method: 'PATCH', path: course(t), rawBody: '"title"', headers: json }) },
  // wrong types
  {
    name: 'a number as title',
    status: 400,
    errorPath: /^body\/title$/,
    request: (t) => ({ method: 'POST', path: `${course(t)}/units`, body: { title: 5 } }),
  },
  {
    name: 'an array as course title',
    status: 400,
    errorPath: /^body\/title$/,
    request: (t) => ({ method: 'PATCH', path: course(t), body: { title: ['x'] } }),
  },
  {
    name: 'a string position',
    status: 400,
    errorPath: /^body\/position$/,
    request: (t) => ({ method: 'POST', path: `${course(t)}/units`, body: { title: 'x', position: '1' } }),
  },
  {
    name: 'position 0',
    status: 400,
    errorPath: /^body\/position$/,
    request: (t) => ({ method: 'POST', path: `${course(t)}/units`, body: { title: 'x', position: 0 } }),
  },
  {
    name: 'a fractional position',
    status: 400,
    errorPath: /^body\/position$/,
    request: (t) => ({ method: 'POST', path: `${unit(t)}/pages`, body: { title: 'x', blocks: [], position: 1.5 } }),
  },
  {
    name: 'blocks that are not a list',
    status: 400,
    errorPath: /^body\/blocks$/,
    request: (t) => ({ method: 'PATCH', path: page(t), body: { blocks: 'text' } }),
  },
  {
    name: 'an empty title',
    status: 400,
    errorPath: /^body\/title$/,
    request: (t) => ({ method: 'PATCH', path: unit(t), body: { title: '   ' } }),
  },
  {
    name: 'a page without blocks',
    status: 400,
    errorPath: /^body\/blocks$/,
    request: (t) => ({ method: 'POST', path: `${unit(t)}/pages`, body: { title: 'x' } }),
  },
  { name: 'an empty PATCH', status: 400, request: (t) => ({ method: 'PATCH', path: page(t), body: {} }) },
  // unknown fields
  {
    name: 'an unknown course field',
    status: 400,
    errorPath: /^body\/owner$/,
    request: (t) => ({ method: 'PATCH', path: course(t), body: { title: 'x', owner: 'me' } }),
  },
  {
    name: 'an unknown unit field',
    status: 400,
    errorPath: /^body\/order$/,
    request: (t) => ({ method: 'POST', path: `${course(t)}/units`, body: { title: 'x', order: 1 } }),
  },
  {
    name: 'an unknown block field',
    status: 400,
    errorPath: /^body\/blocks\/0\/html$/,
    request: (t) => ({ method: 'PATCH', path: page(t), body: { blocks: [{ ...markdown('x'), html: '<b>' }] } }),
  },
  {
    name: 'an unknown structure field',
    status: 400,
    errorPath: /^body\/structure\/unitCount$/,
    request: (t) => ({ method: 'PATCH', path: course(t), body: { structure: { unitType: 'week', unitCount: 9 } } }),
  },
  { name: 'an unknown query parameter', status: 400, request: (t) => ({ method: 'GET', path: `${course(t)}/units?sort=title` }) },
  // $-keys
  {
    name: 'a $-key in a body',
    status: 400,
    errorPath: /\$set/,
    request: (t) => ({ method: 'PATCH', path: course(t), body: { title: 'x', $set: { status: 'published' } } }),
  },
  {
    name: 'a nested $-key in a body',
    status: 400,
    errorPath: /\$ne/,
    request: (t) => ({ method: 'PATCH', path: page(t), body: { blocks: [{ type: 'markdown', markdown: { $ne: '' } }] } }),
  },
  {
    name: 'a $-key in a query',
    status: 400,
    errorPath: /\$where/,
    request: (t) => ({ method: 'GET', path: `${course(t)}/units?$where=1` }),
  },
  {
    name: 'a $-key in the course list query',
    status: 400,
    errorPath: /\$gt/,
    request: () => ({ method: 'GET', path: '/api/courses?$gt=1' }),
  },
  // invalid ids
  {
    name: 'a course id that is not one',
    status: 400,
    errorPath: /courseId/,
    request: () => ({ method: 'PATCH', path: '/api/courses/123', body: { title: 'x' } }),
  },
  {
    name: 'a unit id that is not one',
    status: 400,
    errorPath: /unitId/,
    request: (t) => ({ method: 'DELETE', path: `${course(t)}/units/${t.unitIds[0]}x` }),
  },
  {
    name: 'a category id that is not one',
    status: 400,
    errorPath: /^body\/categoryId$/,
    request: (t) => ({ method: 'PATCH', path: course(t), body: { categoryId: 'zz' } }),
  },
  {
    name: 'unit ids that are not ids',
    status: 400,
    errorPath: /^body\/unitIds\/0$/,
    request: (t) => ({ method: 'PUT', path: `${course(t)}/units/order`, body: { unitIds: ['nope', ...t.unitIds] } }),
  },
  {
    name: 'an asset id that is not one',
    status: 400,
    errorPath: /^body\/blocks\/0\/assetId$/,
    request: (t) => ({ method: 'PATCH', path: page(t), body: { blocks: [{ type: 'image', assetId: 'x.png', alt: '' }] } }),
  },
  {
    name: 'a page order that is not a positive integer',
    status: 400,
    errorPath: /pageOrder/,
    request: (t) => ({ method: 'PATCH', path: `${unit(t)}/pages/0`, body: { title: 'x' } }),
  },
  {
    name: 'an If-Match that is not a version',
    status: 400,
    request: (t) => ({ method: 'PATCH', path: course(t), body: { title: 'x' }, headers: { 'if-match': '"abc"' } }),
  },
  // domain values
  {
    name: 'an unknown unitType',
    status: 400,
    errorPath: /^body\/structure\/unitType$/,
    request: (t) => ({ method: 'PATCH', path: course(t), body: { structure: { unitType: 'semester' } } }),
  },
  {
    name: 'a block of unknown type',
    status: 400,
    errorPath: /^body\/blocks\/1\/type$/,
    request: (t) => ({ method: 'PATCH', path: page(t), body: { blocks: [markdown('ok'), { type: 'iframe', html: '<iframe>' }] } }),
  },
  {
    name: 'a new page with a block of unknown type',
    status: 400,
    errorPath: /^body\/blocks\/0\/type$/,
    request: (t) => ({ method: 'POST', path: `${unit(t)}/pages`, body: { title: 'x', blocks: [{ type: 'quiz' }] } }),
  },
  {
    name: 'an unknown callout tone',
    status: 400,
    errorPath: /^body\/blocks\/0\/tone$/,
    request: (t) => ({ method: 'PATCH', path: page(t), body: { blocks: [{ type: 'callout', tone: 'danger', markdown: 'x' }] } }),
  },
  {
    name: 'an http embed',
    status: 400,
    errorPath: /^body\/blocks\/0\/url$/,
    request: (t) => ({ method: 'PATCH', path: page(t), body: { blocks: [{ type: 'embed', url: 'http://example.com' }] } }),
  },
  {
    name: 'a javascript: embed',
    status: 400,
    errorPath: /^body\/blocks\/0\/url$/,
    request: (t) => ({
      method: 'POST',
      path: `${unit(t)}/pages`,
      body: { title: 'x', blocks: [{ type: 'embed', url: 'javascript:alert(1)' }] },
    }),
  },
  {
    name: 'a unit order naming a unit twice',
    status: 400,
    errorPath: /unitIds/,
    request: (t) => ({ method: 'PUT', path: `${course(t)}/units/order`, body: { unitIds: [t.unitIds[0], t.unitIds[0]] } }),
  },
  {
    name: 'a page order naming an unknown page',
    status: 400,
    errorPath: /pageIds/,
    request: (t) => ({ method: 'PUT', path: `${unit(t)}/pages/order`, body: { pageIds: [...t.pageIds[0]!.slice(1), newId()] } }),
  },
  // size and media type
  {
    name: 'a body over 1 MiB',
    status: 413,
    request: (t) => ({ method: 'PATCH', path: course(t), body: { description: 'x'.repeat(1024 * 1024 + 10) } }),
  },
  {
    name: 'a text/plain body',
    status: 415,
    request: (t) => ({ method: 'PATCH', path: course(t), rawBody: 'title=x', headers: { 'content-type': 'text/plain' } }),
  },
  {
    name: 'a form body',
    status: 415,
    request: (t) => ({
      method: 'POST',
      path: `${course(t)}/units`,
      rawBody: 'title=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  },
  // strings the database cannot store: U+0000 anywhere, in any field, is a 400 naming it (never a 500)
  {
    name: 'U+0000 in a course title',
    status: 400,
    request: (t) => ({ method: 'PATCH', path: course(t), body: { title: 'Algebra\u0000 I' } }),
    errorPath: /^body\/title$/,
  },
  {
    name: 'U+0000 deep in a page block',
    status: 400,
    request: (t) => ({ method: 'PATCH', path: page(t), body: { blocks: [markdown('ok'), markdown('nul \u0000 here')] } }),
    errorPath: /^body\/blocks\/1\/markdown$/,
  },
  {
    name: 'U+0000 in a category name',
    status: 400,
    request: () => ({ method: 'POST', path: '/api/categories', body: { name: 'Math\u0000' } }),
    errorPath: /^body\/name$/,
  },
  {
    name: 'U+0000 in a query parameter',
    status: 400,
    request: () => ({ method: 'GET', path: '/api/courses?status=draft%00' }),
    errorPath: /^query\/status$/,
  },
];

describe('bad input is refused and changes nothing', () => {
  let tree: CourseTree;
  let admin: TestUser;
  beforeAll(async () => {
    tree = await newCourseTree({ units: 2, pages: 2 });
    admin = await user('admin');
  });

  test.each(badRequests)('$name → $status', async ({ status, request, errorPath }) => {
    const before = await readTree(tree.courseId);
    const { method, path, ...options } = request(tree);
    const res = await api(method, path, { as: admin, ...options });
    expectProblem(res, status);
    if (errorPath)
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(errorPath), message: expect.any(String) })]),
      );
    expect(await readTree(tree.courseId)).toEqual(before);
  });

  test('POST /api/courses with an unknown unitType or bad fields creates nothing', async () => {
    const categoryId = tree.categoryId;
    const before = await api('GET', `/api/courses?categoryId=${categoryId}&limit=100`, { as: admin });
    const bodies = [
      { title: 'x', categoryId, structure: { unitType: 'semester' } },
      { title: 'x', categoryId, structure: {} },
      { title: 'x', categoryId },
      { title: 'x', categoryId, structure: { unitType: 'unit' }, status: 'published' },
      { title: 'x', categoryId: 'abc', structure: { unitType: 'unit' } },
      { title: 'x', categoryId, structure: { unitType: 'unit', $where: 'true' } },
    ];
    for (const body of bodies) expectProblem(await api('POST', '/api/courses', { as: admin, body }), 400);
    expect((await api('GET', `/api/courses?categoryId=${categoryId}&limit=100`, { as: admin })).body).toEqual(before.body);
  });
});
