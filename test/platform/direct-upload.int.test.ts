/**
 * Direct uploads (the browser sends the file to Cloudinary itself) are real
 * uploads: the signature is for one asset id in the course's folder and the
 * kind's formats, and the file becomes an asset only through a
 * confirmation that checks what Cloudinary holds (format, size, the
 * course's quota) and removes what it refuses; whatever is never confirmed
 * is removed once the signature has expired. The platform's media service
 * talks to the Cloudinary stand-in (a real HTTP server speaking Cloudinary's
 * upload API) with the real SDK; the browser's part is played by fetch.
 */
import type { Platform } from '@testmancer/local-platform';
import { deliveryUrlSigned, mp4, png, startCloudinaryStandIn, type CloudinaryStandIn } from '@testmancer/testing';
import { api, newId, user, type TestUser } from '../support/api';
import { eventually, ownPlatform } from '../support/own-platform';

const ACCOUNT = { cloudName: 'direct-cloud', apiKey: '7781', apiSecret: 'direct-upload-secret' };
const IMAGE_MAX_BYTES = 60_000;
const QUOTA = 150_000;
/** Short, so that expiry and the repair after it are seen within the test. */
const WINDOW_MS = 6_000;

let platform: Platform;
let cloudinary: CloudinaryStandIn;
let admin: TestUser;
let categoryId: string;

beforeAll(async () => {
  cloudinary = await startCloudinaryStandIn(ACCOUNT);
  platform = await ownPlatform('direct-upload', {
    env: {
      MEDIA_PROVIDER: 'cloudinary',
      CLOUDINARY_URL: `cloudinary://${ACCOUNT.apiKey}:${ACCOUNT.apiSecret}@${ACCOUNT.cloudName}`,
      CLOUDINARY_UPLOAD_PREFIX: cloudinary.uploadPrefix,
      CLOUDINARY_DIRECT_UPLOAD_WINDOW_MS: String(WINDOW_MS),
      MEDIA_IMAGE_MAX_BYTES: String(IMAGE_MAX_BYTES),
      MEDIA_COURSE_QUOTA_BYTES: String(QUOTA),
      MEDIA_UNFINISHED_AFTER_MS: '1000',
      MEDIA_REPAIR_INTERVAL_MS: '500',
    },
  });
  admin = await user('admin');
  categoryId = (await must(201, 'POST', '/api/categories', { body: { name: `direct ${newId()}` } })).id;
});
afterAll(async () => {
  await platform?.stop();
  await cloudinary?.close();
});

interface CallOptions {
  body?: unknown;
  as?: TestUser;
  headers?: Record<string, string>;
}

async function must(status: number, method: string, route: string, options: CallOptions = {}) {
  const res = await call(method, route, options);
  expect([route, res.status, res.body]).toEqual([route, status, expect.anything()]);
  return res.body;
}

const call = (method: string, route: string, options: CallOptions = {}) =>
  api(method, route, {
    baseUrl: platform.gatewayUrl,
    as: options.as ?? admin,
    ...(options.body ? { body: options.body } : {}),
    ...(options.headers && { headers: options.headers }),
  });

const newCourse = async () =>
  (await must(201, 'POST', '/api/courses', { body: { title: `course ${newId()}`, categoryId, structure: { unitType: 'unit' } } }))
    .id as string;

interface Signed {
  provider: string;
  uploadUrl: string;
  fields: Record<string, string>;
  expiresAt: string;
  maxBytes: number;
  assetId: string;
  confirmUrl: string;
}

const sign = async (courseId: string, kind?: 'image' | 'video'): Promise<Signed> =>
  must(200, 'POST', '/api/media/signature', { body: { courseId, ...(kind && { kind }) } });

/** The browser's part: the signed fields and the file, straight to Cloudinary. */
async function sendToCloudinary(signed: Signed, bytes: Buffer, filename = 'lesson.png') {
  const form = new FormData();
  for (const [name, value] of Object.entries(signed.fields)) form.append(name, value);
  form.append('file', new Blob([bytes]), filename);
  const response = await fetch(signed.uploadUrl, { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const confirm = (signed: Signed, as = admin) => call('POST', signed.confirmUrl, { as });
const held = (courseId: string, assetId: string) => cloudinary.stored.has(`testmancer/${courseId}/${assetId}`);

test('the signature is for one new asset in the course’s folder, of the kind’s formats; the confirmed file is the asset', async () => {
  const courseId = await newCourse();
  const signed = await sign(courseId, 'image');
  expect(signed).toMatchObject({
    provider: 'cloudinary',
    uploadUrl: `${cloudinary.uploadPrefix}/v1_1/${ACCOUNT.cloudName}/image/upload`,
    maxBytes: IMAGE_MAX_BYTES,
    assetId: expect.stringMatching(/^[0-9a-f]{24}$/),
    confirmUrl: `/api/media/${signed.assetId}/confirm`,
    fields: {
      public_id: `testmancer/${courseId}/${signed.assetId}`,
      allowed_formats: 'png,jpg,gif,webp,avif',
      overwrite: 'false',
      api_key: ACCOUNT.apiKey,
    },
  });
  expect(signed.fields).not.toHaveProperty('api_secret');
  expect(Date.parse(signed.expiresAt) - Date.now()).toBeLessThanOrEqual(WINDOW_MS);

  const early = await confirm(signed);
  expect(early.status).toBe(409);
  expect(early.body.detail).toMatch(/nothing has been uploaded/);

  const bytes = png(120, 80, { noise: true });
  expect((await sendToCloudinary(signed, bytes)).status).toBe(200);
  const created = await confirm(signed);
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    id: signed.assetId,
    courseId,
    kind: 'image',
    format: 'png',
    mediaType: 'image/png',
    bytes: bytes.length,
    width: 120,
    height: 80,
    filename: 'lesson.png',
    // A draft's: the gateway's path, signed for a few minutes.
    url: expect.stringMatching(new RegExp(`^/api/media/${signed.assetId}/content\\?expires=\\d+&signature=[\\w-]+$`)),
  });
  expect((await call('GET', `/api/media/${signed.assetId}`)).body).toMatchObject({ id: signed.assetId, bytes: bytes.length });

  const again = await confirm(signed);
  expect([again.status, again.body.id, again.body.version]).toEqual([200, signed.assetId, created.body.version]);
});

/** The gateway's answer itself, not where it redirects to. */
const unfollowed = (path: string, as?: TestUser) =>
  fetch(`${platform.gatewayUrl}${path}`, { redirect: 'manual', headers: as ? { authorization: `Bearer ${as.token}` } : {} });

test('Cloudinary’s files are delivered as their course allows: to its authors through downloads that expire, to everybody through signed CDN URLs once published', async () => {
  const courseId = await newCourse();
  const signed = await sign(courseId, 'image');
  const bytes = png(700, 10, { noise: true });
  expect((await sendToCloudinary(signed, bytes)).status).toBe(200);
  const asset = await must(201, 'POST', signed.confirmUrl);
  const id = signed.assetId;
  // Stored for authenticated delivery: Cloudinary serves it only at a URL signed with the account's secret.
  expect(cloudinary.stored.get(`testmancer/${courseId}/${id}`)?.type).toBe('authenticated');
  expect([asset.renditions, asset.srcset]).toEqual([[], null]);

  // A draft: its authors, and whoever holds the metadata's signed URL, are sent to a download that expires.
  for (const [path, as] of [
    [`/api/media/${id}/content`, admin],
    [asset.url as string, undefined],
  ] as const) {
    const answer = await unfollowed(path, as);
    expect([answer.status, answer.headers.get('cache-control')]).toEqual([302, 'private, no-store']);
    const location = new URL(answer.headers.get('location')!);
    expect(location.href.startsWith(`${cloudinary.uploadPrefix}/v1_1/${ACCOUNT.cloudName}/image/download?`)).toBe(true);
    expect(Number(location.searchParams.get('expires_at')) * 1000 - Date.now()).toBeLessThanOrEqual(11 * 60_000);
    const file = await fetch(location);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
  }
  const student = await user('student');
  for (const as of [student, undefined]) expect((await unfollowed(`/api/media/${id}/content`, as)).status).toBe(404);

  // Published: everybody is sent to the signed CDN URL of the file or of a rendition, which caches may keep.
  const published = await must(200, 'POST', `/api/courses/${courseId}/publish`);
  const seen = await must(200, 'GET', `/api/media/${id}`, { as: student });
  expect(seen.url).toBe(`/api/media/${id}/content`);
  expect(seen.renditions).toEqual([320, 640].map((width) => ({ width, url: `/api/media/${id}/content?width=${width}` })));
  for (const [path, transformation] of [
    [`/api/media/${id}/content`, '/v1/'],
    [`/api/media/${id}/content?width=640`, '/c_limit,f_auto,q_auto,w_640/'],
  ] as const) {
    const answer = await unfollowed(path, student);
    expect([answer.status, answer.headers.get('cache-control')]).toEqual([302, 'public, max-age=300']);
    const location = answer.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^https://res\\.cloudinary\\.com/${ACCOUNT.cloudName}/image/authenticated/s--[\\w-]{8}--/`));
    expect(location).toContain(transformation);
    expect(deliveryUrlSigned(location, ACCOUNT.apiSecret)).toBe(true);
  }
  expect((await unfollowed(`/api/media/${id}/content?width=500`, student)).status).toBe(400);

  // Back to draft: nobody but its authors is sent anywhere any more.
  await must(200, 'POST', `/api/courses/${courseId}/unpublish`, { headers: { 'if-match': `"${String(published.version)}"` } });
  expect((await unfollowed(`/api/media/${id}/content`, student)).status).toBe(404);
});

test('only the course’s authors get a signature and confirm; an outsider gets nothing signed', async () => {
  const courseId = await newCourse();
  const outsider = await user('subadmin', [newId()]);
  expect((await call('POST', '/api/media/signature', { as: outsider, body: { courseId, kind: 'image' } })).status).toBe(404);
  const signed = await sign(courseId, 'image');
  await sendToCloudinary(signed, png(20, 20));
  expect((await confirm(signed, outsider)).status).toBe(404);
  const student = await user('student');
  expect((await confirm(signed, student)).status).toBe(403);
  expect((await call('GET', `/api/media/${signed.assetId}`)).status).toBe(404);
  expect((await confirm(signed)).status).toBe(201);
});

test('a file of a format the signature does not allow is refused by Cloudinary, and nothing becomes an asset', async () => {
  const courseId = await newCourse();
  const signed = await sign(courseId, 'image');
  const refused = await sendToCloudinary(signed, mp4(), 'clip.mp4');
  expect(refused.status).toBe(400);
  expect(refused.body.error.message).toMatch(/^Invalid image file|not allowed/);
  // Nor at the endpoint of another kind: the formats are signed.
  const elsewhere = await sendToCloudinary({ ...signed, uploadUrl: signed.uploadUrl.replace('/image/', '/video/') }, mp4(), 'clip.mp4');
  expect(elsewhere.status).toBe(400);
  expect(held(courseId, signed.assetId)).toBe(false);
  expect((await confirm(signed)).status).toBe(409);
});

test('an oversized file is removed at its confirmation (413), and the asset never exists', async () => {
  const courseId = await newCourse();
  const signed = await sign(courseId, 'image');
  const big = png(150, 150, { noise: true });
  expect(big.length).toBeGreaterThan(IMAGE_MAX_BYTES);
  expect((await sendToCloudinary(signed, big)).status).toBe(200);
  const refused = await confirm(signed);
  expect(refused.status).toBe(413);
  expect(refused.body.detail).toMatch(/image files are limited/);
  expect(held(courseId, signed.assetId)).toBe(false);
  expect((await call('GET', `/api/media/${signed.assetId}`)).status).toBe(404);
});

test('a confirmation past the course’s quota is refused (413) and its file removed; two confirmations at once make one asset', async () => {
  const courseId = await newCourse();
  const file = () => png(130, 130, { noise: true });
  const [first, second, third] = [await sign(courseId, 'image'), await sign(courseId, 'image'), await sign(courseId, 'image')];
  for (const signed of [first, second, third]) expect((await sendToCloudinary(signed, file())).status).toBe(200);

  const both = await Promise.all([confirm(first), confirm(first)]);
  const made = both.filter((res) => res.status === 201);
  const other = both.find((res) => res !== made[0]);
  expect(made).toHaveLength(1);
  // The other answers the asset, or (still being made) asks to try again: never a second asset.
  expect([200, 409]).toContain(other?.status);
  if (other?.status === 200) expect(other.body.id).toBe(first.assetId);
  expect((await confirm(second)).status).toBe(201);

  const over = await confirm(third);
  expect(over.status).toBe(413);
  expect(over.body.detail).toMatch(/quota/);
  expect(held(courseId, third.assetId)).toBe(false);
  expect([held(courseId, first.assetId), held(courseId, second.assetId)]).toEqual([true, true]);
  expect((await call('GET', `/api/media/${third.assetId}`)).status).toBe(404);
});

test('what is never confirmed, or uploaded again after its asset was deleted, is removed once the signature expires', async () => {
  const courseId = await newCourse();
  const neverConfirmed = await sign(courseId);
  const neverSent = await sign(courseId, 'video');
  const deletedThenSentAgain = await sign(courseId, 'image');
  expect((await sendToCloudinary(neverConfirmed, mp4(), 'clip.mp4')).status).toBe(200);
  expect((await sendToCloudinary(deletedThenSentAgain, png(30, 30))).status).toBe(200);
  expect((await confirm(deletedThenSentAgain)).status).toBe(201);
  expect((await call('DELETE', `/api/media/${deletedThenSentAgain.assetId}`)).status).toBe(204);
  expect(held(courseId, deletedThenSentAgain.assetId)).toBe(false);
  expect((await sendToCloudinary(deletedThenSentAgain, png(30, 30))).status).toBe(200);
  expect([held(courseId, neverConfirmed.assetId), held(courseId, deletedThenSentAgain.assetId)]).toEqual([true, true]);

  await eventually(
    async () => [held(courseId, neverConfirmed.assetId), held(courseId, deletedThenSentAgain.assetId)],
    (still) => still.every((one) => !one),
    WINDOW_MS + 10_000,
  );
  for (const signed of [neverConfirmed, neverSent, deletedThenSentAgain]) expect((await confirm(signed)).status).toBe(404);
  // Expired fields open nothing any more.
  expect((await sendToCloudinary(neverSent, mp4(), 'clip.mp4')).body.error.message).toMatch(/^Stale request/);
});

test('with nothing left of the quota, no upload is signed', async () => {
  const courseId = await newCourse();
  const file = png(140, 140, { noise: true });
  // The last file pads a PNG to exactly what is left: trailing bytes are still a PNG to Cloudinary.
  const rest = Buffer.concat([png(10, 10), Buffer.alloc(QUOTA - 2 * file.length - png(10, 10).length)]);
  for (const bytes of [file, file, rest]) {
    const signed = await sign(courseId, 'image');
    expect((await sendToCloudinary(signed, bytes)).status).toBe(200);
    expect((await confirm(signed)).status).toBe(201);
  }
  const full = await call('POST', '/api/media/signature', { body: { courseId, kind: 'image' } });
  expect([full.status, full.body.detail]).toEqual([413, expect.stringMatching(/quota/)]);
});

test('an upload is not confirmed past its expiry, before the repair has come (it would remove the file under the asset)', async () => {
  const courseId = await newCourse();
  const signed = await sign(courseId, 'image');
  expect((await sendToCloudinary(signed, png(30, 30))).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(signed.expiresAt) - Date.now()) + 50));
  expect((await confirm(signed)).status).toBe(404);
  await eventually(
    async () => held(courseId, signed.assetId),
    (still) => !still,
    10_000,
  );
});
