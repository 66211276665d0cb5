import { api, expectProblem, user } from '../support/api';
import { expectStatus, markdown, must, newCourseTree } from '../support/content';

describe('ETags and If-None-Match', () => {
  const resources = [
    { name: 'a course', path: (courseId: string) => `/api/courses/${courseId}`, change: { title: 'Changed course' } },
    {
      name: 'a unit',
      path: (courseId: string, unitId: string) => `/api/courses/${courseId}/units/${unitId}`,
      change: { title: 'Changed unit' },
    },
    {
      name: 'a unit (modules path)',
      path: (courseId: string, unitId: string) => `/api/courses/${courseId}/modules/${unitId}`,
      change: { title: 'Changed module' },
    },
    {
      name: 'a page',
      path: (courseId: string, unitId: string) => `/api/courses/${courseId}/units/${unitId}/pages/1`,
      change: { blocks: [markdown('Changed page')] },
    },
  ];

  test.each(resources)('$name: current ETag → 304, stale ETag → 200 with the new body', async ({ path, change }) => {
    const tree = await newCourseTree({ units: 1, pages: 1, published: true });
    const admin = await user('admin');
    const url = path(tree.courseId, tree.unitIds[0]!);
    const first = await api('GET', url, { as: admin });
    expectStatus(first, 200);
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(`"${first.body.version}"`);
    expect(first.headers.get('vary')).toMatch(/authorization/i);

    const notModified = await api('GET', url, { as: admin, headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.get('etag')).toBe(etag);

    const changed = await must(200, 'PATCH', url, { as: admin, body: change });
    const afterChange = await api('GET', url, { as: admin, headers: { 'if-none-match': etag } });
    expectStatus(afterChange, 200);
    expect(afterChange.body).toEqual(changed);
    expect(afterChange.body).toMatchObject(change);
    const newEtag = afterChange.headers.get('etag')!;
    expect(newEtag).not.toBe(etag);
    expect((await api('GET', url, { as: admin, headers: { 'if-none-match': newEtag } })).status).toBe(304);
    expect((await api('GET', url, { as: admin, headers: { 'if-none-match': `"0", ${newEtag}` } })).status).toBe(304);
  });

  test('every write is visible on the very next read', async () => {
    const tree = await newCourseTree({ units: 1, pages: 1, published: true });
    const admin = await user('admin');
    const student = await user('student');
    const coursePath = `/api/courses/${tree.courseId}`;
    for (let i = 0; i < 5; i += 1) {
      await must(200, 'PATCH', coursePath, { as: admin, body: { title: `Title ${i}` } });
      expect((await must(200, 'GET', coursePath, { as: student })).title).toBe(`Title ${i}`);
      expect((await must(200, 'GET', `/api/courses?categoryId=${tree.categoryId}`, { as: student })).items[0].title).toBe(`Title ${i}`);

      const unit = await must(201, 'POST', `${coursePath}/units`, { as: admin, body: { title: `Unit ${i}`, position: 1 } });
      const course = await must(200, 'GET', coursePath, { as: student });
      expect(course.units[0]).toEqual({ id: unit.id, order: 1, title: `Unit ${i}`, pageCount: 0 });
      expect(course.structure.unitCount).toBe(i + 2);

      const pagePath = `${coursePath}/units/${tree.unitIds[0]}/pages/1`;
      await must(200, 'PATCH', pagePath, { as: admin, body: { blocks: [markdown(`Body ${i}`)] } });
      expect((await must(200, 'GET', pagePath, { as: student })).blocks).toEqual([markdown(`Body ${i}`)]);
    }
    await must(200, 'POST', `${coursePath}/unpublish`, { as: admin });
    expectProblem(await api('GET', coursePath, { as: student }), 404);
  });
});
