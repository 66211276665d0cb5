/**
 * An upload is admitted before it is stored: who may upload to the course,
 * and whether the course's quota has room for the declared size, are
 * decided before the first byte reaches the media service's staging
 * directory (watched here with inotify, not inferred from an answer). And a
 * media pod receives a bounded number of uploads at once, per user and in
 * all: past the bound, 429 with Retry-After, until one ends.
 */
import type { Platform } from '@testmancer/local-platform';
import { mp4, png } from '@testmancer/testing';
import { watch } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { api, newId, user, type TestUser } from '../../support/api';
import { eventually, ownPlatform } from '../../support/own-platform';

const QUOTA = 300_000;
let platform: Platform;
let admin: TestUser;
let categoryId: string;

beforeAll(async () => {
  platform = await ownPlatform('upload-admission', {
    env: { MEDIA_UPLOADS_PER_USER: '1', MEDIA_UPLOADS_PER_POD: '2', MEDIA_COURSE_QUOTA_BYTES: String(QUOTA) },
  });
  admin = await user('admin');
  categoryId = (await must(201, 'POST', '/api/categories', { body: { name: `admission ${newId()}` } })).id;
});
afterAll(async () => {
  await platform?.stop();
});

async function must(status: number, method: string, route: string, options: { body?: unknown; as?: TestUser } = {}) {
  const res = await api(method, route, {
    baseUrl: platform.gatewayUrl,
    as: options.as ?? admin,
    ...(options.body ? { body: options.body } : {}),
  });
  expect([route, res.status]).toEqual([route, status]);
  return res.body;
}

const newCourse = async () =>
  (await must(201, 'POST', '/api/courses', { body: { title: `course ${newId()}`, categoryId, structure: { unitType: 'unit' } } }))
    .id as string;

function upload(as: TestUser, courseId: string, bytes: Buffer, filename = 'picture.png') {
  const form = new FormData();
  form.append('courseId', courseId);
  form.append('file', new Blob([bytes]), filename);
  return api('POST', '/api/media', { baseUrl: platform.gatewayUrl, as, formData: form });
}

/** Every file the media service creates in its staging directory while `action` runs. */
async function stagedDuring(action: () => Promise<void>): Promise<string[]> {
  const staging = path.join(platform.mediaDir, '.staging');
  await mkdir(staging, { recursive: true });
  const created: string[] = [];
  const watcher = watch(staging, (event, name) => {
    if (event === 'rename' && name) created.push(name);
  });
  try {
    await action();
    // inotify events arrive after the syscalls; one more turn of the loop lets the last ones in.
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    watcher.close();
  }
  return created;
}

test('out of scope or over the quota, nothing is staged; an admitted upload is (the watch sees it)', async () => {
  const courseId = await newCourse();
  const admitted = await stagedDuring(async () => {
    expect((await upload(admin, courseId, png(100, 100, { noise: true }))).status).toBe(201);
  });
  expect(admitted.length).toBeGreaterThan(0);

  const outsider = await user('subadmin', [newId()]);
  const big = mp4(QUOTA - 50_000);
  const refusedForScope = await stagedDuring(async () => {
    expect((await upload(outsider, courseId, big, 'clip.mp4')).status).toBe(404);
    await must(200, 'POST', `/api/courses/${courseId}/publish`);
    expect((await upload(outsider, courseId, big, 'clip.mp4')).status).toBe(403);
  });
  expect(refusedForScope).toEqual([]);

  expect((await upload(admin, courseId, big, 'clip.mp4')).status).toBe(201);
  const refusedForQuota = await stagedDuring(async () => {
    const res = await upload(admin, courseId, mp4(100_000), 'clip.mp4');
    expect(res.status).toBe(413);
    expect(res.body.detail).toMatch(/quota/);
  });
  expect(refusedForQuota).toEqual([]);
});

/** An upload whose body stops after its first kilobyte until `finish` is called: it holds its slot meanwhile. */
function heldUpload(as: TestUser, courseId: string): { finish: () => Promise<number> } {
  const boundary = `----held${newId()}`;
  const file = png(200, 200, { noise: true });
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="courseId"\r\n\r\n${courseId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="held.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const req = request(new URL('/api/media', platform.gatewayUrl), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${as.token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(head.length + file.length + tail.length),
    },
  });
  const status = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
  req.write(Buffer.concat([head, file.subarray(0, 1024)]));
  return {
    finish: () => {
      req.end(Buffer.concat([file.subarray(1024), tail]));
      return status;
    },
  };
}

/** Uploads the media service has begun to receive (its own metrics): a held upload holds its slot once counted here. */
async function uploadsReceived(): Promise<number> {
  const text = await (await fetch(platform.metricsUrls.media)).text();
  const line = text.split('\n').find((l) => l.startsWith('grpc_server_started_total{') && l.includes('grpc_method="UploadAsset"'));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Starts a held upload and waits until the media service has it. */
async function holdSlot(as: TestUser, courseId: string): Promise<{ finish: () => Promise<number> }> {
  const before = await uploadsReceived();
  const held = heldUpload(as, courseId);
  await eventually(uploadsReceived, (count) => count > before, 10_000);
  return held;
}

test('past the bound on concurrent uploads, per user and per pod: 429 with Retry-After, until one ends', async () => {
  const courseId = await newCourse();
  const [first, second, third] = [await user('admin'), await user('admin'), await user('admin')];

  const firstHeld = await holdSlot(first, courseId);
  const sameUser = await upload(first, courseId, png(4, 4));
  expect(sameUser.status).toBe(429);
  expect(sameUser.headers.get('content-type')).toMatch(/problem\+json/);
  expect(Number(sameUser.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(sameUser.body.detail).toMatch(/one user/);

  const secondHeld = await holdSlot(second, courseId);
  const podFull = await upload(third, courseId, png(4, 4));
  expect(podFull.status).toBe(429);
  expect(podFull.body.detail).toMatch(/too many uploads/);

  expect(await firstHeld.finish()).toBe(201);
  expect(await secondHeld.finish()).toBe(201);
  expect((await upload(third, courseId, png(4, 4))).status).toBe(201);
  expect((await upload(first, courseId, png(4, 4))).status).toBe(201);
});
