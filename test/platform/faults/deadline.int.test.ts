/**
 * The gateway's budget reaches the services: a request that runs out of it
 * is answered 503 by the gateway, and the service working on it is
 * cancelled too (its own metrics count the call ended), down to the
 * call it was making to another service, instead of finishing work nobody
 * waits for.
 */
import type { Platform } from '@testmancer/local-platform';
import { png } from '@testmancer/testing';
import { api, expectProblem, uniqueName, user } from '../../support/api';
import { eventually, ownPlatform } from '../../support/own-platform';

let platform: Platform;
beforeAll(async () => {
  // Content's own deadline for media is far longer than the gateway's budget: only the budget can end its wait.
  platform = await ownPlatform('deadline', { env: { GRPC_DEADLINE_MS: '2000', MEDIA_DEADLINE_MS: '60000' } });
});
afterAll(async () => {
  await platform?.stop();
});

/**
 * Calls of `method` that content ended without success: CANCELLED when the
 * gateway's cancellation arrives first, UNAVAILABLE when the deadline the
 * call carried ends content's own call to media first (on a busy machine,
 * either). Without the budget, content would wait for media for a minute.
 */
async function abandonedCalls(method: string): Promise<number> {
  const text = await (await fetch(platform.metricsUrls.content)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('grpc_server_handled_total{') && l.includes(`grpc_method="${method}"`) && !l.includes('grpc_code="OK"'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

test('a request past its budget is a 503, and the service working on it stops (its metrics count the call ended, not OK), its own call to media cancelled', async () => {
  const baseUrl = platform.gatewayUrl;
  const admin = await user('admin');
  const must = async (status: number, method: string, path: string, body?: unknown) => {
    const res = await api(method, path, { baseUrl, as: admin, ...(body === undefined ? {} : { body }) });
    expect([path, res.status]).toEqual([path, status]);
    return res.body;
  };
  const category = await must(201, 'POST', '/api/categories', { name: uniqueName('deadline') });
  const course = await must(201, 'POST', '/api/courses', {
    title: uniqueName('course'),
    categoryId: category.id,
    structure: { unitType: 'unit' },
  });
  const unit = await must(201, 'POST', `/api/courses/${course.id}/units`, { title: 'unit' });
  const form = new FormData();
  form.append('courseId', course.id);
  form.append('file', new Blob([png(8, 8)]), 'picture.png');
  const image = await api('POST', '/api/media', { baseUrl, as: admin, formData: form });
  expect(image.status).toBe(201);

  const before = await abandonedCalls('CreatePage');
  // Content asks media about the page's new asset; media answers nothing while paused.
  platform.pauseProcess('media');
  try {
    const res = await api('POST', `/api/courses/${course.id}/units/${unit.id}/pages`, {
      baseUrl,
      as: admin,
      body: { title: 'a page', blocks: [{ type: 'image', assetId: image.body.id, alt: 'a picture' }] },
    });
    expectProblem(res, 503);
    await eventually(
      () => abandonedCalls('CreatePage'),
      (count) => count > before,
      10_000,
    );
  } finally {
    platform.resumeProcess('media');
  }
  const pages = await api('GET', `/api/courses/${course.id}/units/${unit.id}/pages`, { baseUrl, as: admin });
  expect(pages.body.items).toEqual([]);
});
