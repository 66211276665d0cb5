import { api, expectProblem, newId, uniqueName, user } from '../support/api';
import { expectStatus, must, newCategory, newCourse, newUnit } from '../support/content';

const etagOf = (version: number) => `"${version}"`;

describe('courses', () => {
  test('POST /api/courses creates a draft: 201 with Location, ETag and the course', async () => {
    const admin = await user('admin');
    const categoryId = await newCategory();
    const title = uniqueName('course');
    const res = await api('POST', '/api/courses', {
      as: admin,
      body: { title, description: 'About things', categoryId, structure: { unitType: 'chapter' } },
    });
    expectStatus(res, 201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      title,
      description: 'About things',
      categoryId,
      status: 'draft',
      structure: { unitType: 'chapter', unitCount: 0 },
      units: [],
      version: expect.any(Number),
    });
    expect(res.headers.get('location')).toBe(`/api/courses/${res.body.id}`);
    expect(res.headers.get('etag')).toBe(etagOf(res.body.version));
    expect(await must(200, 'GET', res.headers.get('location')!, { as: admin })).toEqual(res.body);
  });

  test('POST /api/courses accepts every unitType and no description', async () => {
    const admin = await user('admin');
    const categoryId = await newCategory();
    for (const unitType of ['unit', 'module', 'chapter', 'week', 'lesson']) {
      const course = await must(201, 'POST', '/api/courses', {
        as: admin,
        body: { title: uniqueName('c'), categoryId, structure: { unitType } },
      });
      expect(course).toMatchObject({ description: '', structure: { unitType, unitCount: 0 } });
    }
  });

  test('POST /api/courses: 401 anonymous, 403 student, 403 subadmin outside the category', async () => {
    const categoryId = await newCategory();
    const body = { title: uniqueName('c'), categoryId, structure: { unitType: 'unit' } };
    expectProblem(await api('POST', '/api/courses', { body }), 401);
    expectProblem(await api('POST', '/api/courses', { as: await user('student'), body }), 403);
    expectProblem(await api('POST', '/api/courses', { as: await user('subadmin', [newId()]), body }), 403);
    expectStatus(await api('POST', '/api/courses', { as: await user('subadmin', [categoryId]), body }), 201);
  });

  test('GET /api/courses/:courseId serves the course with its units in order and its ETag', async () => {
    const admin = await user('admin');
    const course = await newCourse(admin, await newCategory());
    const first = await newUnit(admin, course.id, { title: 'First' });
    const second = await newUnit(admin, course.id, { title: 'Second' });
    const res = await api('GET', `/api/courses/${course.id}`, { as: admin });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ id: course.id, structure: { unitType: 'module', unitCount: 2 } });
    expect(res.body.units).toEqual([
      { id: first.id, order: 1, title: 'First', pageCount: 0 },
      { id: second.id, order: 2, title: 'Second', pageCount: 0 },
    ]);
    expect(res.headers.get('etag')).toBe(etagOf(res.body.version));
    expect(res.headers.get('vary')).toMatch(/authorization/i);
  });

  test('GET /api/courses/:courseId: 404 for an unknown course, 400 for an id that is not one', async () => {
    expectProblem(await api('GET', `/api/courses/${newId()}`), 404);
    expectProblem(await api('GET', '/api/courses/not-an-id'), 400);
  });

  test('GET /api/courses lists summaries, filtered by category and status, page by page', async () => {
    const admin = await user('admin');
    const categoryId = await newCategory();
    const draft = await newCourse(admin, categoryId);
    const published = await newCourse(admin, categoryId);
    await must(200, 'POST', `/api/courses/${published.id}/publish`, { as: admin });

    const all = await must(200, 'GET', `/api/courses?categoryId=${categoryId}`, { as: admin });
    expect(all.items.map((c: { id: string }) => c.id).sort()).toEqual([draft.id, published.id].sort());
    for (const item of all.items) {
      expect(Object.keys(item).sort()).toEqual(['categoryId', 'description', 'id', 'status', 'structure', 'title', 'version']);
      expect(item.structure).toEqual({ unitType: 'module', unitCount: 0 });
    }
    const onlyPublished = await must(200, 'GET', `/api/courses?categoryId=${categoryId}&status=published`, { as: admin });
    expect(onlyPublished.items.map((c: { id: string }) => c.id)).toEqual([published.id]);
    const onlyDrafts = await must(200, 'GET', `/api/courses?categoryId=${categoryId}&status=draft`, { as: admin });
    expect(onlyDrafts.items.map((c: { id: string }) => c.id)).toEqual([draft.id]);

    const firstPage = await must(200, 'GET', `/api/courses?categoryId=${categoryId}&limit=1`, { as: admin });
    expect(firstPage.items).toHaveLength(1);
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    const secondPage = await must(
      200,
      'GET',
      `/api/courses?categoryId=${categoryId}&limit=1&cursor=${encodeURIComponent(firstPage.nextCursor)}`,
      { as: admin },
    );
    expect(secondPage.items).toHaveLength(1);
    expect(secondPage.items[0].id).not.toBe(firstPage.items[0].id);
  });

  test('GET /api/courses shows anonymous callers and students published courses only', async () => {
    const admin = await user('admin');
    const categoryId = await newCategory();
    await newCourse(admin, categoryId);
    const published = await newCourse(admin, categoryId);
    await must(200, 'POST', `/api/courses/${published.id}/publish`, { as: admin });
    for (const as of [undefined, await user('student')]) {
      const list = await must(200, 'GET', `/api/courses?categoryId=${categoryId}`, { as });
      expect(list.items.map((c: { id: string }) => c.id)).toEqual([published.id]);
    }
  });

  test('GET /api/courses: 400 for a bad filter or limit', async () => {
    expectProblem(await api('GET', '/api/courses?status=deleted'), 400);
    expectProblem(await api('GET', '/api/courses?categoryId=abc'), 400);
    expectProblem(await api('GET', '/api/courses?limit=0'), 400);
    expectProblem(await api('GET', '/api/courses?limit=101'), 400);
    expectProblem(await api('GET', '/api/courses?sort=title'), 400);
  });

  test('PATCH /api/courses/:courseId changes the fields sent, with and without If-Match', async () => {
    const admin = await user('admin');
    const course = await newCourse(admin, await newCategory());
    const otherCategory = await newCategory();

    const renamed = await api('PATCH', `/api/courses/${course.id}`, {
      as: admin,
      body: { title: 'Renamed' },
      headers: { 'if-match': etagOf(course.version) },
    });
    expectStatus(renamed, 200);
    expect(renamed.body).toMatchObject({ title: 'Renamed', description: course.description, version: course.version + 1 });
    expect(renamed.headers.get('etag')).toBe(etagOf(course.version + 1));

    const moved = await must(200, 'PATCH', `/api/courses/${course.id}`, {
      as: admin,
      body: { description: 'New words', categoryId: otherCategory, structure: { unitType: 'week' } },
    });
    expect(moved).toMatchObject({ title: 'Renamed', description: 'New words', categoryId: otherCategory, structure: { unitType: 'week' } });
    expect(await must(200, 'GET', `/api/courses/${course.id}`, { as: admin })).toEqual(moved);
  });

  test('PATCH /api/courses/:courseId with a stale If-Match is a 412 and changes nothing', async () => {
    const admin = await user('admin');
    const course = await newCourse(admin, await newCategory());
    await must(200, 'PATCH', `/api/courses/${course.id}`, { as: admin, body: { title: 'Newer' } });
    const res = await api('PATCH', `/api/courses/${course.id}`, {
      as: admin,
      body: { title: 'Stale' },
      headers: { 'if-match': etagOf(course.version) },
    });
    expectProblem(res, 412);
    expect((await must(200, 'GET', `/api/courses/${course.id}`, { as: admin })).title).toBe('Newer');
  });

  test('PATCH /api/courses/:courseId: 404 unknown, 400 empty patch', async () => {
    const admin = await user('admin');
    expectProblem(await api('PATCH', `/api/courses/${newId()}`, { as: admin, body: { title: 'x' } }), 404);
    const course = await newCourse(admin, await newCategory());
    expectProblem(await api('PATCH', `/api/courses/${course.id}`, { as: admin, body: {} }), 400);
  });

  test('publish and unpublish move a course between draft and published (If-Match honoured)', async () => {
    const admin = await user('admin');
    const course = await newCourse(admin, await newCategory());
    const published = await api('POST', `/api/courses/${course.id}/publish`, {
      as: admin,
      headers: { 'if-match': etagOf(course.version) },
    });
    expectStatus(published, 200);
    expect(published.body).toMatchObject({ id: course.id, status: 'published', version: course.version + 1 });
    expect(published.headers.get('etag')).toBe(etagOf(course.version + 1));
    expect((await must(200, 'GET', `/api/courses/${course.id}`)).status).toBe('published');

    expectProblem(
      await api('POST', `/api/courses/${course.id}/unpublish`, { as: admin, headers: { 'if-match': etagOf(course.version) } }),
      412,
    );
    const unpublished = await must(200, 'POST', `/api/courses/${course.id}/unpublish`, { as: admin });
    expect(unpublished.status).toBe('draft');
    expectProblem(await api('GET', `/api/courses/${course.id}`), 404);
    expectProblem(await api('POST', `/api/courses/${newId()}/publish`, { as: admin }), 404);
  });

  test('DELETE /api/courses/:courseId archives: 200 with the archived course, which then no longer changes', async () => {
    const admin = await user('admin');
    const course = await newCourse(admin, await newCategory());
    expectProblem(
      await api('DELETE', `/api/courses/${course.id}`, { as: admin, headers: { 'if-match': etagOf(course.version + 5) } }),
      412,
    );
    const archived = await api('DELETE', `/api/courses/${course.id}`, { as: admin, headers: { 'if-match': etagOf(course.version) } });
    expectStatus(archived, 200);
    expect(archived.body).toMatchObject({ id: course.id, title: course.title, status: 'archived', version: course.version + 1 });
    expect(archived.headers.get('etag')).toBe(etagOf(archived.body.version));
    expect((await must(200, 'GET', `/api/courses/${course.id}`, { as: admin })).status).toBe('archived');
    expectProblem(await api('PATCH', `/api/courses/${course.id}`, { as: admin, body: { title: 'Too late' } }), 409);
    expectProblem(await api('POST', `/api/courses/${course.id}/units`, { as: admin, body: { title: 'Too late' } }), 409);
    expectProblem(await api('DELETE', `/api/courses/${newId()}`, { as: admin }), 404);
  });
});
