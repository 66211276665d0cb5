/**
 * Reads are served from caches (the gateway's edge cache, the content
 * service's course cache, the quiz cache): a write through the platform must
 * still be what the very next read answers, to the author and to a student.
 */
import { api, expectProblem, user } from '../support/api';
import { markdown, must, newCourseTree } from '../support/content';

describe('read after write, through the caches', () => {
  test('every write is visible on the very next read, of the course, the course list, the units and a page', async () => {
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
