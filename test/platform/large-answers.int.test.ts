/**
 * Large answers between the gateway and the services: a course whose pages
 * weigh more than a gRPC message may carry is still served whole, its pages
 * fetched in answers of bounded size.
 */
import { user } from '../support/api';
import { markdown, must, newCategory, newCourse, newUnit } from '../support/content';
import { startGateway, type ExtraGateway } from '../support/gateway';

let legacy: ExtraGateway;
beforeAll(async () => {
  legacy = await startGateway('large-answers', { STRUCTURED_COURSES_ENABLED: 'false' });
});
afterAll(async () => {
  await legacy?.stop();
});

test('a legacy course of 100 pages weighing more than 4 MiB together is served whole', async () => {
  const admin = await user('admin');
  const course = await newCourse(admin, await newCategory());
  const unit = await newUnit(admin, course.id);
  const pageText = (n: number) => `Page ${String(n)}. ${'x'.repeat(45_000)}`;
  for (let n = 1; n <= 100; n++)
    await must(201, 'POST', `/api/courses/${course.id}/units/${unit.id}/pages`, {
      as: admin,
      body: { title: `p${n}`, blocks: [markdown(pageText(n))] },
    });
  await must(200, 'POST', `/api/courses/${course.id}/publish`, { as: admin });

  const served = await must(200, 'GET', `/api/courses/${course.id}`, { as: admin, baseUrl: legacy.url });
  const content: string = served.modules[0].content;
  expect(content.length).toBeGreaterThan(4 * 1024 * 1024);
  expect(content.split('\n\n')).toEqual(Array.from({ length: 100 }, (_, i) => pageText(i + 1)));
});
