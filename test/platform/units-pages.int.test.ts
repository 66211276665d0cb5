import { api, expectProblem, newId, uniqueName, user, type TestUser } from '../support/api';
import { expectStatus, markdown, must, newCategory, newCourse, newCourseTree, readTree } from '../support/content';
import { newImage, newVideo } from '../support/media';

const etagOf = (version: number) => `"${version}"`;
const ids = (items: { id: string }[]) => items.map((item) => item.id);

/** Every assertion runs on both prefixes: `modules` is an alias of `units` on every path. */
describe.each(['units', 'modules'])('/api/courses/:courseId/%s', (segment) => {
  let admin: TestUser;
  let categoryId: string;
  beforeAll(async () => {
    admin = await user('admin');
    categoryId = await newCategory();
  });
  const base = (courseId: string) => `/api/courses/${courseId}/${segment}`;
  const unitPath = (courseId: string, unitId: string) => `${base(courseId)}/${unitId}`;
  const pagesPath = (courseId: string, unitId: string) => `${unitPath(courseId, unitId)}/pages`;
  const addUnit = (courseId: string, body: Record<string, unknown> = {}) =>
    must(201, 'POST', base(courseId), { as: admin, body: { title: uniqueName('unit'), ...body } });
  const addPage = (courseId: string, unitId: string, body: Record<string, unknown> = {}) =>
    must(201, 'POST', pagesPath(courseId, unitId), { as: admin, body: { title: uniqueName('page'), blocks: [markdown('text')], ...body } });

  describe('units', () => {
    test('POST creates a unit: 201, Location, ETag, the unit', async () => {
      const course = await newCourse(admin, categoryId);
      const res = await api('POST', base(course.id), { as: admin, body: { title: 'Intro' } });
      expectStatus(res, 201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        order: 1,
        title: 'Intro',
        pageCount: 0,
        pages: [],
        version: expect.any(Number),
      });
      expect(res.headers.get('etag')).toBe(etagOf(res.body.version));
      expect(res.headers.get('location')).toBe(`/api/courses/${course.id}/units/${res.body.id}`);
      const after = await must(200, 'GET', `/api/courses/${course.id}`, { as: admin });
      expect(after.structure.unitCount).toBe(1);
      expect(after.units).toEqual([{ id: res.body.id, order: 1, title: 'Intro', pageCount: 0 }]);
    });

    test('POST with a position inserts there and shifts later units; past the end appends', async () => {
      const course = await newCourse(admin, categoryId);
      const a = await addUnit(course.id);
      const b = await addUnit(course.id);
      const first = await addUnit(course.id, { position: 1 });
      expect(first.order).toBe(1);
      const middle = await addUnit(course.id, { position: 3 });
      expect(middle.order).toBe(3);
      const last = await addUnit(course.id, { position: 99 });
      expect(last.order).toBe(5);
      const list = await must(200, 'GET', base(course.id), { as: admin });
      expect(ids(list.items)).toEqual([first.id, a.id, middle.id, b.id, last.id]);
      expect(list.items.map((unit: { order: number }) => unit.order)).toEqual([1, 2, 3, 4, 5]);
      expect(list.nextCursor).toBeNull();
    });

    test('GET lists units in order: { id, order, title, pageCount, version }', async () => {
      const course = await newCourse(admin, categoryId);
      const unit = await addUnit(course.id, { title: 'Only' });
      await addPage(course.id, unit.id);
      const res = await api('GET', base(course.id), { as: admin });
      expectStatus(res, 200);
      expect(res.body).toEqual({
        items: [{ id: unit.id, order: 1, title: 'Only', pageCount: 1, version: expect.any(Number) }],
        nextCursor: null,
      });
      expectProblem(await api('GET', base(newId()), { as: admin }), 404);
    });

    test('GET one unit serves its pages in order and its ETag; 404 for an unknown unit', async () => {
      const course = await newCourse(admin, categoryId);
      const unit = await addUnit(course.id);
      const p1 = await addPage(course.id, unit.id, { title: 'One' });
      const p2 = await addPage(course.id, unit.id, { title: 'Two' });
      const res = await api('GET', unitPath(course.id, unit.id), { as: admin });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        id: unit.id,
        order: 1,
        pageCount: 2,
        pages: [
          { id: p1.id, pageOrder: 1, title: 'One' },
          { id: p2.id, pageOrder: 2, title: 'Two' },
        ],
      });
      expect(res.headers.get('etag')).toBe(etagOf(res.body.version));
      expectProblem(await api('GET', unitPath(course.id, newId()), { as: admin }), 404);
      expectProblem(await api('GET', unitPath(course.id, 'xyz'), { as: admin }), 400);
    });

    test('PATCH renames a unit; a stale If-Match is a 412 and changes nothing', async () => {
      const course = await newCourse(admin, categoryId);
      const unit = await addUnit(course.id);
      const renamed = await api('PATCH', unitPath(course.id, unit.id), {
        as: admin,
        body: { title: 'Renamed' },
        headers: { 'if-match': etagOf(unit.version) },
      });
      expectStatus(renamed, 200);
      expect(renamed.body).toMatchObject({ id: unit.id, title: 'Renamed', order: 1 });
      expect(renamed.body.version).toBeGreaterThan(unit.version);
      expect(renamed.headers.get('etag')).toBe(etagOf(renamed.body.version));
      expectProblem(
        await api('PATCH', unitPath(course.id, unit.id), {
          as: admin,
          body: { title: 'Stale' },
          headers: { 'if-match': etagOf(unit.version) },
        }),
        412,
      );
      expect((await must(200, 'GET', unitPath(course.id, unit.id), { as: admin })).title).toBe('Renamed');
      expect(await must(200, 'PATCH', unitPath(course.id, unit.id), { as: admin, body: { title: 'Without If-Match' } })).toMatchObject({
        title: 'Without If-Match',
      });
      expectProblem(await api('PATCH', unitPath(course.id, newId()), { as: admin, body: { title: 'x' } }), 404);
    });

    test('DELETE removes a unit and later units move up; stale If-Match is a 412', async () => {
      const course = await newCourse(admin, categoryId);
      const a = await addUnit(course.id);
      const b = await addUnit(course.id);
      const c = await addUnit(course.id);
      expectProblem(await api('DELETE', unitPath(course.id, a.id), { as: admin, headers: { 'if-match': etagOf(a.version + 7) } }), 412);
      const res = await api('DELETE', unitPath(course.id, a.id), { as: admin, headers: { 'if-match': etagOf(a.version) } });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectProblem(await api('GET', unitPath(course.id, a.id), { as: admin }), 404);
      const after = await must(200, 'GET', `/api/courses/${course.id}`, { as: admin });
      expect(after.units.map((u: { id: string; order: number }) => [u.id, u.order])).toEqual([
        [b.id, 1],
        [c.id, 2],
      ]);
      expect(after.structure.unitCount).toBe(2);
      expect(await api('DELETE', unitPath(course.id, c.id), { as: admin })).toMatchObject({ status: 204 });
      expectProblem(await api('DELETE', unitPath(course.id, c.id), { as: admin }), 404);
    });

    test('PUT order reorders all units at once (If-Match: the course version)', async () => {
      const tree = await newCourseTree({ categoryId, units: 3, pages: 0 });
      const course = await must(200, 'GET', `/api/courses/${tree.courseId}`, { as: admin });
      const reversed = [...tree.unitIds].reverse();
      expectProblem(
        await api('PUT', `${base(tree.courseId)}/order`, {
          as: admin,
          body: { unitIds: reversed },
          headers: { 'if-match': etagOf(course.version - 1) },
        }),
        412,
      );
      const res = await api('PUT', `${base(tree.courseId)}/order`, {
        as: admin,
        body: { unitIds: reversed },
        headers: { 'if-match': etagOf(course.version) },
      });
      expectStatus(res, 200);
      expect(res.body).toEqual({ unitIds: reversed, version: course.version + 1 });
      expect(res.headers.get('etag')).toBe(etagOf(course.version + 1));
      const after = await must(200, 'GET', `/api/courses/${tree.courseId}`, { as: admin });
      expect(after.units.map((u: { id: string; order: number }) => [u.id, u.order])).toEqual(reversed.map((id, i) => [id, i + 1]));
    });

    test('PUT order with a list that is not exactly the units is a 400 and changes nothing', async () => {
      const tree = await newCourseTree({ categoryId, units: 3, pages: 1 });
      const before = await readTree(tree.courseId);
      const [a, b, c] = tree.unitIds as [string, string, string];
      for (const unitIds of [[a, b], [a, b, c, newId()], [a, b, b], [a, b, newId()], []]) {
        const res = await api('PUT', `${base(tree.courseId)}/order`, { as: admin, body: { unitIds } });
        expectProblem(res, 400);
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/unitIds/) })]));
      }
      expect(await readTree(tree.courseId)).toEqual(before);
    });
  });

  describe('pages', () => {
    /** One block of every type; the image and videos are the course's own uploads. */
    const everyBlock = async (courseId: string) => [
      markdown('# Title\n\nText'),
      { type: 'image', assetId: (await newImage(admin, courseId)).id, alt: 'A diagram' },
      { type: 'video', assetId: (await newVideo(admin, courseId)).id, caption: 'Watch' },
      { type: 'video', assetId: (await newVideo(admin, courseId)).id },
      { type: 'embed', url: 'https://example.com/widget' },
      { type: 'callout', tone: 'warning', markdown: 'Careful' },
    ];

    test('POST creates a page: 201, Location, ETag, the page with typed blocks', async () => {
      const course = await newCourse(admin, categoryId);
      const unit = await addUnit(course.id);
      const allBlocks = await everyBlock(course.id);
      const res = await api('POST', pagesPath(course.id, unit.id), { as: admin, body: { title: 'Welcome', blocks: allBlocks } });
      expectStatus(res, 201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        pageOrder: 1,
        title: 'Welcome',
        blocks: allBlocks,
        media: expect.any(Array),
        version: expect.any(Number),
      });
      expect(res.headers.get('etag')).toBe(etagOf(res.body.version));
      expect(res.headers.get('location')).toBe(`/api/courses/${course.id}/units/${unit.id}/pages/1`);
      expect(await must(200, 'GET', `${pagesPath(course.id, unit.id)}/1`, { as: admin })).toEqual(res.body);
      expect((await must(200, 'GET', unitPath(course.id, unit.id), { as: admin })).pageCount).toBe(1);
    });

    test('POST with a position inserts there; GET lists { id, pageOrder, title } in order', async () => {
      const course = await newCourse(admin, categoryId);
      const unit = await addUnit(course.id);
      const a = await addPage(course.id, unit.id, { title: 'A' });
      const b = await addPage(course.id, unit.id, { title: 'B', position: 1 });
      const c = await addPage(course.id, unit.id, { title: 'C', position: 50 });
      expect([a.pageOrder, b.pageOrder, c.pageOrder]).toEqual([1, 1, 3]);
      const res = await api('GET', pagesPath(course.id, unit.id), { as: admin });
      expectStatus(res, 200);
      expect(res.body).toEqual({
        items: [
          { id: b.id, pageOrder: 1, title: 'B' },
          { id: a.id, pageOrder: 2, title: 'A' },
          { id: c.id, pageOrder: 3, title: 'C' },
        ],
        nextCursor: null,
      });
      expectProblem(await api('GET', pagesPath(course.id, newId()), { as: admin }), 404);
    });

    test('GET a page by its order: ETag; 404 beyond the last; 400 for an order that is not a positive integer', async () => {
      const course = await newCourse(admin, categoryId);
      const unit = await addUnit(course.id);
      const page = await addPage(course.id, unit.id);
      const res = await api('GET', `${pagesPath(course.id, unit.id)}/1`, { as: admin });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ id: page.id, pageOrder: 1, title: page.title, blocks: page.blocks, media: [] });
      expect(res.headers.get('etag')).toBe(etagOf(page.version));
      expectProblem(await api('GET', `${pagesPath(course.id, unit.id)}/2`, { as: admin }), 404);
      for (const order of ['0', '-1', 'abc', '1.5', '1e2'])
        expectProblem(await api('GET', `${pagesPath(course.id, unit.id)}/${order}`, { as: admin }), 400);
    });

    test('PATCH changes title and/or blocks (blocks replaced); stale If-Match is a 412', async () => {
      const course = await newCourse(admin, categoryId);
      const unit = await addUnit(course.id);
      const page = await addPage(course.id, unit.id);
      const path = `${pagesPath(course.id, unit.id)}/1`;
      const retitled = await api('PATCH', path, { as: admin, body: { title: 'New title' }, headers: { 'if-match': etagOf(page.version) } });
      expectStatus(retitled, 200);
      expect(retitled.body).toMatchObject({ id: page.id, title: 'New title', blocks: page.blocks });
      expect(retitled.headers.get('etag')).toBe(etagOf(retitled.body.version));
      const reblocked = await must(200, 'PATCH', path, {
        as: admin,
        body: { blocks: [{ type: 'callout', tone: 'success', markdown: 'Done' }] },
      });
      expect(reblocked).toMatchObject({ title: 'New title', blocks: [{ type: 'callout', tone: 'success', markdown: 'Done' }] });
      expect(reblocked.version).toBeGreaterThan(retitled.body.version);
      expectProblem(await api('PATCH', path, { as: admin, body: { title: 'Stale' }, headers: { 'if-match': etagOf(page.version) } }), 412);
      expect(await must(200, 'GET', path, { as: admin })).toEqual(reblocked);
      expectProblem(await api('PATCH', `${pagesPath(course.id, unit.id)}/9`, { as: admin, body: { title: 'x' } }), 404);
    });

    test('DELETE removes a page and later pages move up; stale If-Match is a 412', async () => {
      const course = await newCourse(admin, categoryId);
      const unit = await addUnit(course.id);
      const p1 = await addPage(course.id, unit.id);
      const p2 = await addPage(course.id, unit.id);
      expectProblem(
        await api('DELETE', `${pagesPath(course.id, unit.id)}/1`, { as: admin, headers: { 'if-match': etagOf(p1.version + 3) } }),
        412,
      );
      const res = await api('DELETE', `${pagesPath(course.id, unit.id)}/1`, { as: admin, headers: { 'if-match': etagOf(p1.version) } });
      expect(res.status).toBe(204);
      const list = await must(200, 'GET', pagesPath(course.id, unit.id), { as: admin });
      expect(list.items).toEqual([{ id: p2.id, pageOrder: 1, title: p2.title }]);
      expectProblem(await api('DELETE', `${pagesPath(course.id, unit.id)}/2`, { as: admin }), 404);
    });

    test('PUT order reorders all pages at once (If-Match: the course version); a wrong list is a 400', async () => {
      const tree = await newCourseTree({ categoryId, units: 1, pages: 3 });
      const unitId = tree.unitIds[0]!;
      const pageIds = tree.pageIds[0]!;
      const before = await readTree(tree.courseId);
      for (const bad of [pageIds.slice(1), [...pageIds, pageIds[0]], [...pageIds.slice(1), newId()]]) {
        expectProblem(await api('PUT', `${pagesPath(tree.courseId, unitId)}/order`, { as: admin, body: { pageIds: bad } }), 400);
      }
      expect(await readTree(tree.courseId)).toEqual(before);

      const course = await must(200, 'GET', `/api/courses/${tree.courseId}`, { as: admin });
      const reordered = [pageIds[2], pageIds[0], pageIds[1]];
      expectProblem(
        await api('PUT', `${pagesPath(tree.courseId, unitId)}/order`, {
          as: admin,
          body: { pageIds: reordered },
          headers: { 'if-match': etagOf(course.version + 1) },
        }),
        412,
      );
      const res = await api('PUT', `${pagesPath(tree.courseId, unitId)}/order`, {
        as: admin,
        body: { pageIds: reordered },
        headers: { 'if-match': etagOf(course.version) },
      });
      expectStatus(res, 200);
      expect(res.body).toEqual({ pageIds: reordered, version: course.version + 1 });
      expect(res.headers.get('etag')).toBe(etagOf(course.version + 1));
      const list = await must(200, 'GET', pagesPath(tree.courseId, unitId), { as: admin });
      expect(list.items.map((p: { id: string; pageOrder: number }) => [p.id, p.pageOrder])).toEqual(reordered.map((id, i) => [id, i + 1]));
    });
  });
});

test('the units and modules paths answer identically for the same resources', async () => {
  const tree = await newCourseTree({ units: 2, pages: 2, published: true });
  const [unitId] = tree.unitIds as [string];
  const student = await user('student');
  const paths = (segment: string) => [
    `/api/courses/${tree.courseId}/${segment}`,
    `/api/courses/${tree.courseId}/${segment}/${unitId}`,
    `/api/courses/${tree.courseId}/${segment}/${unitId}/pages`,
    `/api/courses/${tree.courseId}/${segment}/${unitId}/pages/2`,
    `/api/courses/${tree.courseId}/${segment}/${unitId}/pages/3`,
    `/api/courses/${tree.courseId}/${segment}/${newId()}`,
    `/api/courses/${tree.courseId}/${segment}/nope`,
  ];
  const modulePaths = paths('modules');
  for (const [i, unitsPath] of paths('units').entries()) {
    const [viaUnits, viaModules] = await Promise.all([
      api('GET', unitsPath, { as: student }),
      api('GET', modulePaths[i]!, { as: student }),
    ]);
    if (viaUnits.status >= 400) expectProblem(viaModules, viaUnits.status);
    expect({ status: viaModules.status, body: viaModules.body, etag: viaModules.headers.get('etag') }).toEqual({
      status: viaUnits.status,
      body: viaUnits.body,
      etag: viaUnits.headers.get('etag'),
    });
  }
});

test('the OpenAPI document has every units path under modules too, marked as the alias', async () => {
  const { paths } = (await api('GET', '/openapi.json')).body as {
    paths: Record<string, Record<string, { summary: string; description?: string }>>;
  };
  const unitPaths = Object.keys(paths).filter((path) => path.includes('/units'));
  expect(unitPaths.length).toBeGreaterThanOrEqual(6);
  for (const path of unitPaths) {
    const alias = paths[path.replace('/units', '/modules')];
    expect(Object.keys(alias ?? {})).toEqual(Object.keys(paths[path]!));
    for (const operation of Object.values(alias!)) expect(operation.description).toMatch(/^Alias of/);
  }
});
