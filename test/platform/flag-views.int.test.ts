import { setTimeout as sleep } from 'node:timers/promises';
import { api, expectProblem, uniqueName, user, type TestUser } from '../support/api';
import { expectStatus, markdown, must, newCategory, newCourse, newCourseTree, newPage, newUnit } from '../support/content';
import { newImage } from '../support/media';
import { startGateway, type ExtraGateway } from '../support/gateway';

// Gateways with other flag settings, in front of the platform's services (so they see the same data).
// Changes made through the platform's gateway reach the legacy one's students within its edge cache's bound.
const LEGACY_EDGE_MAX_AGE_MS = 300;
let legacy: ExtraGateway;
let modules: ExtraGateway;
let rollout: ExtraGateway;
beforeAll(async () => {
  [legacy, modules, rollout] = await Promise.all([
    startGateway('legacy', { STRUCTURED_COURSES_ENABLED: 'false', EDGE_CACHE_MAX_AGE_MS: String(LEGACY_EDGE_MAX_AGE_MS) }),
    startGateway('modules', { USE_MODULES_TERMINOLOGY: 'true' }),
    startGateway('rollout', { USE_MODULES_TERMINOLOGY: '50%' }),
  ]);
});
afterAll(async () => {
  await Promise.all([legacy, modules, rollout].map((gateway) => gateway?.stop()));
});

/** A published course: unit "One" with two pages, unit "Two" with one. */
async function publishedCourse(author: TestUser) {
  const course = await newCourse(author, await newCategory(), { description: 'Legacy readers welcome' });
  const one = await newUnit(author, course.id, { title: 'One' });
  const two = await newUnit(author, course.id, { title: 'Two' });
  await newPage(author, course.id, one.id, {
    blocks: [
      markdown('# First'),
      { type: 'image', assetId: (await newImage(author, course.id)).id, alt: 'skipped' },
      { type: 'callout', tone: 'info', markdown: 'Note this' },
    ],
  });
  await newPage(author, course.id, one.id, { blocks: [markdown('Second page')] });
  await newPage(author, course.id, two.id, { blocks: [{ type: 'embed', url: 'https://example.com' }, markdown('Only page')] });
  await must(200, 'POST', `/api/courses/${course.id}/publish`, { as: author });
  return { course, one, two };
}

describe('STRUCTURED_COURSES_ENABLED off: the legacy view', () => {
  test('/api/flags says so', async () => {
    expect(await must(200, 'GET', '/api/flags', { baseUrl: legacy.url })).toMatchObject({ STRUCTURED_COURSES_ENABLED: false });
  });

  test('GET /api/courses/:courseId serves ordered modules with their content and no structure', async () => {
    const admin = await user('admin');
    const { course, one, two } = await publishedCourse(admin);
    for (const as of [undefined, await user('student'), admin]) {
      const res = await api('GET', `/api/courses/${course.id}`, { as, baseUrl: legacy.url });
      expectStatus(res, 200);
      expect(res.body).toEqual({
        id: course.id,
        title: course.title,
        description: 'Legacy readers welcome',
        categoryId: course.categoryId,
        status: 'published',
        modules: [
          { id: one.id, order: 1, title: 'One', content: '# First\n\nNote this\n\nSecond page' },
          { id: two.id, order: 2, title: 'Two', content: 'Only page' },
        ],
        version: expect.any(Number),
      });
      expect(res.headers.get('etag')).toEqual(expect.any(String));
    }
  });

  test('GET /api/courses lists courses without structure', async () => {
    const admin = await user('admin');
    const { course } = await publishedCourse(admin);
    const list = await must(200, 'GET', `/api/courses?categoryId=${course.categoryId}`, { baseUrl: legacy.url });
    expect(list.items).toEqual([
      {
        id: course.id,
        title: course.title,
        description: 'Legacy readers welcome',
        categoryId: course.categoryId,
        status: 'published',
        version: expect.any(Number),
      },
    ]);
  });

  test('the ETag covers page content: a page edit makes the old ETag stale', async () => {
    const admin = await user('admin');
    const { course, one } = await publishedCourse(admin);
    const path = `/api/courses/${course.id}`;
    const first = await api('GET', path, { baseUrl: legacy.url });
    const etag = first.headers.get('etag')!;
    expect((await api('GET', path, { baseUrl: legacy.url, headers: { 'if-none-match': etag } })).status).toBe(304);
    // Edited through the structured API: a page's blocks do not change the course's version.
    await must(200, 'PATCH', `${path}/units/${one.id}/pages/2`, { as: admin, body: { blocks: [markdown('Rewritten')] } });
    await sleep(LEGACY_EDGE_MAX_AGE_MS + 50);
    const after = await api('GET', path, { baseUrl: legacy.url, headers: { 'if-none-match': etag } });
    expectStatus(after, 200);
    expect(after.body.modules[0].content).toBe('# First\n\nNote this\n\nRewritten');
    expect(after.body.version).toBe(first.body.version);
  });

  test('PATCH and DELETE of a course answer in the legacy view; If-Match takes its ETag', async () => {
    const admin = await user('admin');
    const { course } = await publishedCourse(admin);
    const etag = (await api('GET', `/api/courses/${course.id}`, { baseUrl: legacy.url })).headers.get('etag')!;
    const patched = await must(200, 'PATCH', `/api/courses/${course.id}`, {
      as: admin,
      baseUrl: legacy.url,
      body: { title: 'Renamed' },
      headers: { 'if-match': etag },
    });
    expectProblem(
      await api('PATCH', `/api/courses/${course.id}`, {
        as: admin,
        baseUrl: legacy.url,
        body: { title: 'Stale' },
        headers: { 'if-match': etag },
      }),
      412,
    );
    expect(patched).toMatchObject({ title: 'Renamed', modules: expect.any(Array) });
    expect(patched).not.toHaveProperty('structure');
    expect(patched).not.toHaveProperty('units');
    const archived = await must(200, 'DELETE', `/api/courses/${course.id}`, { as: admin, baseUrl: legacy.url });
    expect(archived).toMatchObject({ status: 'archived', modules: expect.any(Array) });
  });

  test('POST /api/courses and every structured-only path answer 404, whoever asks', async () => {
    const admin = await user('admin');
    const { course, one } = await publishedCourse(admin);
    const c = `/api/courses/${course.id}`;
    const requests: [string, string, unknown?][] = [
      ['POST', '/api/courses', { title: uniqueName('c'), categoryId: course.categoryId, structure: { unitType: 'unit' } }],
      ['POST', `${c}/publish`],
      ['POST', `${c}/unpublish`],
      ...['units', 'modules'].flatMap((segment): [string, string, unknown?][] => [
        ['GET', `${c}/${segment}`],
        ['POST', `${c}/${segment}`, { title: 'x' }],
        ['PUT', `${c}/${segment}/order`, { unitIds: [] }],
        ['GET', `${c}/${segment}/${one.id}`],
        ['PATCH', `${c}/${segment}/${one.id}`, { title: 'x' }],
        ['DELETE', `${c}/${segment}/${one.id}`],
        ['GET', `${c}/${segment}/${one.id}/pages`],
        ['POST', `${c}/${segment}/${one.id}/pages`, { title: 'x', blocks: [] }],
        ['PUT', `${c}/${segment}/${one.id}/pages/order`, { pageIds: [] }],
        ['GET', `${c}/${segment}/${one.id}/pages/1`],
        ['PATCH', `${c}/${segment}/${one.id}/pages/1`, { title: 'x' }],
        ['DELETE', `${c}/${segment}/${one.id}/pages/1`],
      ]),
    ];
    for (const as of [admin, await user('student'), undefined]) {
      for (const [method, path, body] of requests) expectProblem(await api(method, path, { as, body, baseUrl: legacy.url }), 404);
    }
    // Nothing was changed through the legacy gateway.
    const structured = await must(200, 'GET', c, { as: admin });
    expect(structured).toMatchObject({ status: 'published', units: [{ id: one.id, title: 'One', pageCount: 2 }, expect.anything()] });
  });
});

describe('USE_MODULES_TERMINOLOGY on', () => {
  test('/api/flags tells frontends', async () => {
    expect(await must(200, 'GET', '/api/flags', { baseUrl: modules.url })).toMatchObject({
      USE_MODULES_TERMINOLOGY: true,
      STRUCTURED_COURSES_ENABLED: true,
    });
  });

  test('course bodies say modules instead of units; field names stay', async () => {
    const admin = await user('admin');
    const tree = await newCourseTree({ units: 2, pages: 1, published: true });
    const res = await api('GET', `/api/courses/${tree.courseId}`, { baseUrl: modules.url });
    expectStatus(res, 200);
    expect(res.body).not.toHaveProperty('units');
    expect(res.body.structure).toEqual({ unitType: 'module', unitCount: 2 });
    expect(res.body.modules).toEqual(tree.unitIds.map((id, i) => ({ id, order: i + 1, title: expect.any(String), pageCount: 1 })));
    // The same course through the default gateway still says units.
    const plain = await must(200, 'GET', `/api/courses/${tree.courseId}`);
    const { units, ...rest } = plain;
    expect({ ...rest, modules: units }).toEqual(res.body);

    const created = await must(201, 'POST', '/api/courses', {
      as: admin,
      baseUrl: modules.url,
      body: { title: uniqueName('c'), categoryId: tree.categoryId, structure: { unitType: 'week' } },
    });
    expect(created).toMatchObject({ modules: [], structure: { unitType: 'week', unitCount: 0 } });
    expect(created).not.toHaveProperty('units');
    for (const [method, path] of [
      ['PATCH', `/api/courses/${tree.courseId}`],
      ['POST', `/api/courses/${tree.courseId}/unpublish`],
      ['POST', `/api/courses/${tree.courseId}/publish`],
      ['DELETE', `/api/courses/${tree.courseId}`],
    ] as const) {
      const body = await must(200, method, path, {
        as: admin,
        baseUrl: modules.url,
        body: method === 'PATCH' ? { title: 'Renamed' } : undefined,
      });
      expect(body).toHaveProperty('modules');
      expect(body).not.toHaveProperty('units');
    }
  });

  test('units and modules paths answer the same under the switch', async () => {
    const tree = await newCourseTree({ units: 2, pages: 2, published: true });
    for (const suffix of ['', `/${tree.unitIds[0]}`, `/${tree.unitIds[0]}/pages`, `/${tree.unitIds[0]}/pages/2`]) {
      const [viaUnits, viaModules] = await Promise.all([
        api('GET', `/api/courses/${tree.courseId}/units${suffix}`, { baseUrl: modules.url }),
        api('GET', `/api/courses/${tree.courseId}/modules${suffix}`, { baseUrl: modules.url }),
      ]);
      expectStatus(viaUnits, 200);
      expect(viaModules.body).toEqual(viaUnits.body);
    }
  });
});

describe('USE_MODULES_TERMINOLOGY at 50%', () => {
  /** Students until one has the flag on and one off, as the gateway evaluates them. */
  async function oneOfEach(): Promise<{ on: TestUser; off: TestUser }> {
    let on: TestUser | undefined;
    let off: TestUser | undefined;
    for (let tries = 0; tries < 64 && !(on && off); tries += 1) {
      const candidate = await user('student');
      const flags = await must(200, 'GET', '/api/flags', { as: candidate, baseUrl: rollout.url });
      if (flags.USE_MODULES_TERMINOLOGY) on ??= candidate;
      else off ??= candidate;
    }
    if (!on || !off) throw new Error('64 users all landed on the same side of a 50% rollout');
    return { on, off };
  }

  test('two users differ, each consistently, in /api/flags and in course bodies', async () => {
    const tree = await newCourseTree({ units: 1, pages: 0, published: true });
    const { on, off } = await oneOfEach();
    for (let round = 0; round < 5; round += 1) {
      const [onFlags, offFlags, onCourse, offCourse] = await Promise.all([
        must(200, 'GET', '/api/flags', { as: on, baseUrl: rollout.url }),
        must(200, 'GET', '/api/flags', { as: off, baseUrl: rollout.url }),
        must(200, 'GET', `/api/courses/${tree.courseId}`, { as: on, baseUrl: rollout.url }),
        must(200, 'GET', `/api/courses/${tree.courseId}`, { as: off, baseUrl: rollout.url }),
      ]);
      expect([onFlags.USE_MODULES_TERMINOLOGY, offFlags.USE_MODULES_TERMINOLOGY]).toEqual([true, false]);
      expect(Object.keys(onCourse)).toContain('modules');
      expect(Object.keys(onCourse)).not.toContain('units');
      expect(Object.keys(offCourse)).toContain('units');
      expect(Object.keys(offCourse)).not.toContain('modules');
      expect(onCourse.modules).toEqual(offCourse.units);
    }
  });

  test('anonymous callers cannot be bucketed and keep the old terminology', async () => {
    const tree = await newCourseTree({ units: 1, pages: 0, published: true });
    const course = await must(200, 'GET', `/api/courses/${tree.courseId}`, { baseUrl: rollout.url });
    expect(course).toHaveProperty('units');
    expect(course).not.toHaveProperty('modules');
  });
});
