import { api, expectProblem, uniqueName, user } from '../support/api';
import { expectStatus, markdown, must, newCategory, newCourse, newCourseTree } from '../support/content';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Orders must be 1..n with no gap or repeat, and the course's unitCount must be n. */
async function expectDenseCourse(courseId: string, expectedUnitIds: Set<string>) {
  const course = await must(200, 'GET', `/api/courses/${courseId}`, { as: await user('admin') });
  expect(course.units.map((u: { order: number }) => u.order)).toEqual(range(expectedUnitIds.size));
  expect(new Set(course.units.map((u: { id: string }) => u.id))).toEqual(expectedUnitIds);
  expect(course.structure.unitCount).toBe(expectedUnitIds.size);
  return course;
}

describe('ordering under concurrency', () => {
  test('50 concurrent unit inserts at assorted positions leave orders 1..50', async () => {
    const admin = await user('admin');
    const course = await newCourse(admin, await newCategory());
    const responses = await Promise.all(
      range(50).map((i) =>
        api('POST', `/api/courses/${course.id}/units`, {
          as: admin,
          body: { title: `Unit ${i}`, ...(i % 3 === 0 ? {} : { position: (i % 7) + 1 }) },
        }),
      ),
    );
    for (const res of responses) expectStatus(res, 201);
    await expectDenseCourse(course.id, new Set(responses.map((res) => res.body.id)));
    const list = await must(200, 'GET', `/api/courses/${course.id}/units?limit=100`, { as: admin });
    expect(list.items.map((u: { order: number }) => u.order)).toEqual(range(50));
  });

  test('inserts, deletes and reorders racing on one course keep orders dense and lose nothing', async () => {
    const admin = await user('admin');
    const tree = await newCourseTree({ units: 20, pages: 0 });
    const toDelete = tree.unitIds.slice(0, 10);
    const inserts = range(20).map((i) =>
      api('POST', `/api/courses/${tree.courseId}/units`, { as: admin, body: { title: `New ${i}`, position: (i % 5) + 1 } }),
    );
    const deletes = toDelete.map((id) => api('DELETE', `/api/courses/${tree.courseId}/units/${id}`, { as: admin }));
    // Each reorder names the units as they were: it succeeds only if nothing changed in between, else it is refused whole.
    const reorders = range(10).map(() =>
      api('PUT', `/api/courses/${tree.courseId}/units/order`, { as: admin, body: { unitIds: [...tree.unitIds].reverse() } }),
    );
    const [inserted, deleted, reordered] = await Promise.all([Promise.all(inserts), Promise.all(deletes), Promise.all(reorders)]);

    for (const res of inserted) expectStatus(res, 201);
    for (const res of deleted) expect(res.status).toBe(204);
    for (const res of reordered) {
      if (res.status === 200) expect(new Set(res.body.unitIds)).toEqual(new Set(tree.unitIds));
      else expectProblem(res, 400);
    }
    const remaining = new Set([...tree.unitIds.slice(10), ...inserted.map((res) => res.body.id as string)]);
    await expectDenseCourse(tree.courseId, remaining);
  });

  test('20 concurrent page inserts in one unit leave pageOrders 1..20', async () => {
    const admin = await user('admin');
    const tree = await newCourseTree({ units: 2, pages: 0 });
    const unitId = tree.unitIds[1]!;
    const responses = await Promise.all(
      range(20).map((i) =>
        api('POST', `/api/courses/${tree.courseId}/units/${unitId}/pages`, {
          as: admin,
          body: { title: `Page ${i}`, blocks: [markdown(`${i}`)], ...(i % 2 ? { position: 1 } : {}) },
        }),
      ),
    );
    for (const res of responses) expectStatus(res, 201);
    const pages = await must(200, 'GET', `/api/courses/${tree.courseId}/units/${unitId}/pages?limit=100`, { as: admin });
    expect(pages.items.map((p: { pageOrder: number }) => p.pageOrder)).toEqual(range(20));
    expect(new Set(pages.items.map((p: { id: string }) => p.id))).toEqual(new Set(responses.map((res) => res.body.id)));
    const course = await expectDenseCourse(tree.courseId, new Set(tree.unitIds));
    expect(course.units.map((u: { pageCount: number }) => u.pageCount)).toEqual([0, 20]);
    for (const order of [1, 20]) {
      const page = await must(200, 'GET', `/api/courses/${tree.courseId}/units/${unitId}/pages/${order}`, { as: admin });
      expect(page).toMatchObject({ id: pages.items[order - 1].id, pageOrder: order });
    }
  });

  describe('concurrent PATCHes with the same If-Match: exactly one 200, the rest 412', () => {
    const race = async (path: string, version: number, body: (i: number) => unknown) => {
      const admin = await user('admin');
      const responses = await Promise.all(
        range(10).map((i) => api('PATCH', path, { as: admin, body: body(i), headers: { 'if-match': `"${version}"` } })),
      );
      const winners = responses.filter((res) => res.status === 200);
      expect(winners).toHaveLength(1);
      for (const res of responses.filter((r) => r.status !== 200)) expectProblem(res, 412);
      const current = await must(200, 'GET', path, { as: admin });
      expect(current).toEqual(winners[0]!.body);
    };

    test('on a course', async () => {
      const course = await newCourse(await user('admin'), await newCategory());
      await race(`/api/courses/${course.id}`, course.version, (i) => ({ title: uniqueName(`title ${i}`) }));
    });

    test('on a unit', async () => {
      const tree = await newCourseTree({ units: 1, pages: 0 });
      const path = `/api/courses/${tree.courseId}/units/${tree.unitIds[0]}`;
      const unit = await must(200, 'GET', path, { as: await user('admin') });
      await race(path, unit.version, (i) => ({ title: `Unit title ${i}` }));
    });

    test('on a page', async () => {
      const tree = await newCourseTree({ units: 1, pages: 1 });
      const path = `/api/courses/${tree.courseId}/units/${tree.unitIds[0]}/pages/1`;
      const page = await must(200, 'GET', path, { as: await user('admin') });
      await race(path, page.version, (i) => ({ blocks: [markdown(`version ${i}`)] }));
    });
  });
});
