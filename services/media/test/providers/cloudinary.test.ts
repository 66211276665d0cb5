import { cloudinarySignature, deliveryUrlSigned, mp4, png, startCloudinaryStandIn, type CloudinaryStandIn } from '@testmancer/testing';
import { mkdtemp, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudinaryProvider, cloudinaryOptionsFromUrl, type CloudinaryProviderOptions } from '../../src/providers/cloudinary';
import { ProviderError, type StagedFile } from '../../src/providers/provider';

const ACCOUNT = { cloudName: 'demo-cloud', apiKey: '614335564976464', apiSecret: 'stand-in-secret-Zq81' };
const COURSE = 'c0c0c0c0c0c0c0c0c0c0c0c0';

let nextAsset = 0;

describe('CloudinaryProvider, against the Cloudinary stand-in', () => {
  let standIn: CloudinaryStandIn;
  let staging: string;
  const providers: CloudinaryProvider[] = [];

  beforeEach(async () => {
    standIn = await startCloudinaryStandIn(ACCOUNT);
    staging = await mkdtemp(join(tmpdir(), 'cloudinary-provider-'));
  });

  afterEach(async () => {
    for (const provider of providers.splice(0)) provider.close();
    await standIn.close();
    await rm(staging, { recursive: true, force: true });
  });

  function provider(options: Partial<CloudinaryProviderOptions> = {}): CloudinaryProvider {
    const made = new CloudinaryProvider({ ...ACCOUNT, uploadPrefix: standIn.uploadPrefix, timeoutMs: 5_000, ...options });
    providers.push(made);
    return made;
  }

  async function staged(bytes: Buffer, kind: 'image' | 'video' = 'image'): Promise<StagedFile> {
    const assetId = (++nextAsset).toString(16).padStart(24, 'a');
    const path = join(staging, assetId);
    await writeFile(path, bytes);
    return kind === 'image'
      ? { assetId, courseId: COURSE, kind, format: 'png', mediaType: 'image/png', bytes: bytes.length, path }
      : { assetId, courseId: COURSE, kind, format: 'mp4', mediaType: 'video/mp4', bytes: bytes.length, path };
  }

  async function storeFailure(promise: Promise<unknown>): Promise<ProviderError> {
    const error: unknown = await promise.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }

  it('stores a PNG under its deterministic public id, authenticated, signed, byte for byte, with renditions narrower than the image', async () => {
    const bytes = png(1000, 40);
    const file = await staged(bytes);
    const stored = await provider().store(file);

    const publicId = `testmancer/${COURSE}/${file.assetId}`;
    const held = standIn.stored.get(publicId);
    expect(held?.resourceType).toBe('image');
    expect(held?.type).toBe('authenticated');
    expect(held?.bytes.equals(bytes)).toBe(true);
    expect(standIn.requests).toHaveLength(1);
    expect(standIn.requests[0]).toMatchObject({ action: 'upload', resourceType: 'image', signatureValid: true, status: 200 });
    expect(standIn.requests[0]?.params).toMatchObject({ public_id: publicId, overwrite: '1', unique_filename: '0', use_filename: '0' });
    expect(stored).toEqual({
      providerId: publicId,
      url: `/api/media/${file.assetId}/content`,
      bytes: bytes.length,
      width: 1000,
      height: 40,
      renditions: [320, 640, 960].map((width) => ({ width, url: `/api/media/${file.assetId}/content?width=${width}` })),
    });
    expect((await provider({ publicBaseUrl: 'https://cdn.example.org' }).store(await staged(png(100, 10)))).url).toMatch(
      /^https:\/\/cdn\.example\.org\/api\/media\/[0-9a-f]{24}\/content$/,
    );
  });

  it('delivers a published file, and its renditions, at URLs signed for the CDN; the rest through a download that expires', async () => {
    const bytes = png(1000, 40);
    const file = await staged(bytes);
    const cloud = provider();
    const { providerId } = await cloud.store(file);
    const object = { providerId, kind: 'image' as const, format: 'png' as const };
    const inAnHour = new Date(Date.now() + 3_600_000);

    const published = cloud.deliveryUrl(object, { published: true, expiresAt: inAnHour });
    expect(published).toMatch(
      new RegExp(`^https://res\\.cloudinary\\.com/demo-cloud/image/authenticated/s--[\\w-]{8}--/v1/${providerId}\\.png$`),
    );
    expect(deliveryUrlSigned(published, ACCOUNT.apiSecret)).toBe(true);
    expect(deliveryUrlSigned(published, 'another-secret')).toBe(false);
    const rendition = cloud.deliveryUrl(object, { published: true, expiresAt: inAnHour, width: 640 });
    expect(rendition).toContain('/image/authenticated/s--');
    expect(rendition).toContain('/c_limit,f_auto,q_auto,w_640/');
    expect(deliveryUrlSigned(rendition, ACCOUNT.apiSecret)).toBe(true);

    // Not published: the original, whatever the width, until the expiry and not after.
    const draft = cloud.deliveryUrl(object, { published: false, expiresAt: inAnHour, width: 640 });
    expect(draft.startsWith(`${standIn.uploadPrefix}/v1_1/demo-cloud/image/download?`)).toBe(true);
    const fetched = await fetch(draft);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(bytes)).toBe(true);
    const expired = cloud.deliveryUrl(object, { published: false, expiresAt: new Date(Date.now() - 1_000) });
    expect((await fetch(expired)).status).toBe(401);
    const forged = draft.replace(/expires_at=\d+/, `expires_at=${String(Math.floor(Date.now() / 1000) + 86_400)}`);
    expect((await fetch(forged)).status).toBe(401);
  });

  it('offers no rendition as wide as the image or wider, and none for a video', async () => {
    const narrow = await provider().store(await staged(png(320, 10)));
    expect(narrow.renditions).toEqual([]);

    const video = await provider().store(await staged(mp4(), 'video'));
    expect(video.renditions).toEqual([]);
    expect(video.url).toMatch(/^\/api\/media\/[0-9a-f]{24}\/content$/);
    expect(standIn.stored.get(video.providerId)).toMatchObject({ resourceType: 'video', type: 'authenticated' });
    expect(standIn.requests.at(-1)).toMatchObject({ resourceType: 'video', signatureValid: true });
  });

  it('sends a file larger than a chunk in chunks, which the stand-in assembles into the same bytes', async () => {
    const bytes = png(320, 320, { noise: true });
    expect(bytes.length).toBeGreaterThan(300 * 1024);
    const file = await staged(bytes);
    const stored = await provider({ chunkBytes: 64 * 1024 }).store(file);

    const chunks = standIn.requests.filter((request) => request.action === 'upload');
    expect(chunks.length).toBe(Math.ceil(bytes.length / (64 * 1024)));
    expect(new Set(chunks.map((chunk) => chunk.uniqueUploadId)).size).toBe(1);
    expect(chunks.every((chunk) => chunk.signatureValid === true && chunk.status === 200)).toBe(true);
    expect(chunks[0]?.contentRange).toBe(`bytes 0-${64 * 1024 - 1}/-1`);
    expect(chunks.at(-1)?.contentRange).toBe(`bytes ${(chunks.length - 1) * 64 * 1024}-${bytes.length - 1}/${bytes.length}`);
    expect(standIn.stored.get(stored.providerId)?.bytes.equals(bytes)).toBe(true);
    expect(stored).toMatchObject({ bytes: bytes.length, width: 320, height: 320 });
  });

  it('gets a non-retryable ProviderError from an account whose secret is wrong, without the secret in the message', async () => {
    const wrong = provider({ apiSecret: 'not-the-secret' });
    const error = await storeFailure(wrong.store(await staged(png(100, 10))));

    expect(error).toMatchObject({ operation: 'store', retryable: false });
    expect(error.message).toMatch(/^Cloudinary answered 401 to the upload: Invalid Signature/);
    expect(error.message).not.toContain('not-the-secret');
    expect(standIn.requests[0]?.signatureValid).toBe(false);
    expect(standIn.stored.size).toBe(0);
  });

  it('removes what it stored, and removing it again succeeds', async () => {
    const cloud = provider();
    const file = await staged(png(100, 10));
    const stored = await cloud.store(file);

    await cloud.remove({ ...file, providerId: stored.providerId });
    expect(standIn.stored.has(stored.providerId)).toBe(false);
    await cloud.remove({ ...file, providerId: stored.providerId });

    const destroys = standIn.requests.filter((request) => request.action === 'destroy');
    expect(destroys).toHaveLength(2);
    expect(destroys.every((request) => request.signatureValid === true && request.resourceType === 'image')).toBe(true);
    expect(destroys[0]?.params).toMatchObject({ public_id: stored.providerId, invalidate: 'true' });
  });

  it('finds an upload that a crash left without a provider id from the asset id', async () => {
    const cloud = provider();
    const file = await staged(png(100, 10));
    const stored = await cloud.store(file);

    await cloud.remove({ ...file, providerId: '' });
    expect(standIn.stored.has(stored.providerId)).toBe(false);
  });

  it('reports a failed removal as a retryable ProviderError', async () => {
    standIn.failNext(1, 500);
    const error = await storeFailure(provider().remove({ assetId: 'a'.repeat(24), courseId: COURSE, kind: 'image', providerId: '' }));
    expect(error).toMatchObject({ operation: 'remove', retryable: true });
    expect(error.message).toMatch(/^Cloudinary answered 500 to the removal/);
  });

  it.each([500, 502])('turns a %i from Cloudinary into a retryable ProviderError that names the status', async (status) => {
    standIn.failNext(1, status);
    const error = await storeFailure(provider().store(await staged(png(100, 10))));
    expect(error).toMatchObject({ operation: 'store', retryable: true });
    expect(error.message).toMatch(new RegExp(`^Cloudinary answered ${status} to the upload`));
    expect(standIn.stored.size).toBe(0);
  });

  it('closes the staged file when a chunk before the last one fails', async () => {
    standIn.failNext(1, 502);
    const file = await staged(png(320, 320, { noise: true }));
    const error = await storeFailure(provider({ chunkBytes: 64 * 1024 }).store(file));
    expect(error).toMatchObject({ operation: 'store', retryable: true });
    expect(standIn.requests).toHaveLength(1);

    // Linux shows a process's open files in /proc; the source stream is closed on the next turns of the event loop.
    const openFiles = async () =>
      Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(join('/proc/self/fd', fd)).catch(() => '')));
    for (let turn = 0; turn < 50 && (await openFiles()).includes(file.path); turn++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await openFiles()).not.toContain(file.path);
  });

  it('gives up on an upload that gets no answer, with a retryable timeout error', async () => {
    standIn.hangNext(1);
    const error = await storeFailure(provider({ timeoutMs: 300 }).store(await staged(png(100, 10))));
    expect(error).toMatchObject({ operation: 'store', retryable: true, message: 'Cloudinary did not answer the upload within 300 ms' });
  }, 10_000);

  it('refuses a staged file that is not there as a non-retryable ProviderError, sending nothing', async () => {
    const file = await staged(png(100, 10));
    await rm(file.path);
    const error = await storeFailure(provider().store(file));
    expect(error).toMatchObject({ operation: 'store', retryable: false, message: 'the staged file could not be read (ENOENT)' });
    expect(standIn.requests).toHaveLength(0);
  });

  it('does not serve bytes itself', () => {
    const cloud = provider();
    expect(cloud.servesBytes).toBe(false);
    expect(() => cloud.read()).toThrow(new ProviderError('read', 'Cloudinary assets are served by Cloudinary', false));
  });

  describe('signUpload', () => {
    async function post(url: string, fields: Record<string, string>, bytes: Buffer) {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('file', new Blob([bytes]), 'upload.png');
      const response = await fetch(url, { method: 'POST', body: form });
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    }

    it('signs fields that Cloudinary takes for a direct upload of that kind, valid for an hour', async () => {
      const before = Math.floor(Date.now() / 1000);
      const signed = provider().signUpload({ courseId: COURSE, kind: 'image', assetId: 'direct-1' });

      expect(signed.uploadUrl).toBe(`${standIn.uploadPrefix}/v1_1/demo-cloud/image/upload`);
      expect(signed.fields).toMatchObject({
        public_id: `testmancer/${COURSE}/direct-1`,
        type: 'authenticated',
        allowed_formats: 'png,jpg,gif,webp,avif',
        overwrite: 'false',
        api_key: ACCOUNT.apiKey,
      });
      const timestamp = Number(signed.fields.timestamp);
      expect(timestamp).toBeGreaterThanOrEqual(before);
      expect(signed.expiresAt.getTime()).toBe((timestamp + 3600) * 1000);
      expect(signed.fields.signature).toBe(cloudinarySignature(signed.fields, ACCOUNT.apiSecret));

      const bytes = png(50, 5);
      const answer = await post(signed.uploadUrl, signed.fields, bytes);
      expect(answer).toMatchObject({ status: 200, body: { public_id: `testmancer/${COURSE}/direct-1`, format: 'png', width: 50 } });
      expect(standIn.stored.get(`testmancer/${COURSE}/direct-1`)).toMatchObject({ type: 'authenticated' });
      expect(standIn.stored.get(`testmancer/${COURSE}/direct-1`)?.bytes.equals(bytes)).toBe(true);
    });

    it('has fields that stop working when one of them is changed', async () => {
      const signed = provider().signUpload({ courseId: COURSE, kind: 'image', assetId: 'direct-2' });
      const answer = await post(signed.uploadUrl, { ...signed.fields, public_id: `testmancer/${COURSE}/someone-else` }, png(50, 5));
      expect(answer.status).toBe(401);
      expect(answer.body.error.message).toMatch(/^Invalid Signature/);
      expect(standIn.stored.size).toBe(0);
    });

    it('allows the formats of both kinds, at the auto endpoint, when no kind is given', async () => {
      const signed = provider().signUpload({ courseId: COURSE, assetId: 'direct-3' });
      expect(signed.uploadUrl).toBe(`${standIn.uploadPrefix}/v1_1/demo-cloud/auto/upload`);
      expect(signed.fields.allowed_formats).toBe('png,jpg,gif,webp,avif,mp4,webm,mov');
      const answer = await post(signed.uploadUrl, signed.fields, mp4());
      expect(answer).toMatchObject({ status: 200, body: { resource_type: 'video', format: 'mp4' } });
    });

    it('cannot replace the file once uploaded: Cloudinary keeps the first', async () => {
      const signed = provider().signUpload({ courseId: COURSE, kind: 'image', assetId: 'direct-5' });
      const first = png(50, 5);
      expect((await post(signed.uploadUrl, signed.fields, first)).status).toBe(200);
      const again = await post(signed.uploadUrl, signed.fields, png(3000, 3000));
      expect(again).toMatchObject({ status: 200, body: { existing: true, width: 50 } });
      expect(standIn.stored.get(`testmancer/${COURSE}/direct-5`)?.bytes.equals(first)).toBe(true);
    });

    it('opens a shorter window when told: the timestamp is signed that much in the past', async () => {
      const now = Math.floor(Date.now() / 1000);
      const signed = provider({ directUploadWindowMs: 5 * 60_000 }).signUpload({ courseId: COURSE, kind: 'image', assetId: 'direct-6' });
      const timestamp = Number(signed.fields.timestamp);
      expect(timestamp).toBeGreaterThanOrEqual(now - 3600 + 300);
      expect(timestamp).toBeLessThanOrEqual(now - 3600 + 301);
      expect(signed.expiresAt.getTime()).toBe((timestamp + 3600) * 1000);
      expect((await post(signed.uploadUrl, signed.fields, png(50, 5))).status).toBe(200);
      expect(() => provider({ directUploadWindowMs: 2 * 3600_000 })).toThrow(/at most an hour/);
    });

    it('describes what a direct upload left (size, format, kind, the browser’s name), of either kind, or nothing', async () => {
      const cloud = provider();
      const image = cloud.signUpload({ courseId: COURSE, assetId: 'direct-7' });
      const video = cloud.signUpload({ courseId: COURSE, assetId: 'direct-8' });
      expect(await cloud.received({ courseId: COURSE, assetId: 'direct-7' })).toBeUndefined();
      const bytes = png(700, 20);
      await post(image.uploadUrl, image.fields, bytes);
      await post(video.uploadUrl, video.fields, mp4());

      const picture = await cloud.received({ courseId: COURSE, assetId: 'direct-7' });
      expect(picture).toMatchObject({
        providerId: `testmancer/${COURSE}/direct-7`,
        url: '/api/media/direct-7/content',
        bytes: bytes.length,
        format: 'png',
        resourceType: 'image',
        width: 700,
        height: 20,
        filename: 'upload',
      });
      expect(picture?.renditions.map(({ width }) => width)).toEqual([320, 640]);
      expect(await cloud.received({ courseId: COURSE, assetId: 'direct-8' })).toMatchObject({ format: 'mp4', resourceType: 'video' });
      expect(await cloud.received({ courseId: COURSE, assetId: 'direct-8', kind: 'image' })).toBeUndefined();
      const explicits = standIn.requests.filter((request) => request.action === 'explicit');
      expect(explicits.every((request) => request.signatureValid === true)).toBe(true);

      await cloud.removeReceived({ courseId: COURSE, assetId: 'direct-8' });
      await cloud.removeReceived({ courseId: COURSE, assetId: 'direct-8' });
      expect(standIn.stored.has(`testmancer/${COURSE}/direct-8`)).toBe(false);
      expect(standIn.stored.has(`testmancer/${COURSE}/direct-7`)).toBe(true);
    });

    it('reports a failure to describe an upload as retryable', async () => {
      standIn.failNext(1, 503);
      const error = await storeFailure(provider().received({ courseId: COURSE, assetId: 'direct-9', kind: 'image' }));
      expect(error).toMatchObject({ operation: 'inspect', retryable: true });
    });

    it('is refused by Cloudinary for a format outside the allow-list of its kind', async () => {
      const signed = provider().signUpload({ courseId: COURSE, kind: 'image', assetId: 'direct-4' });
      const answer = await post(signed.uploadUrl.replace('/image/', '/auto/'), signed.fields, mp4());
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toBe('Video file format mp4 not allowed');
    });
  });

  it('keeps two providers with different accounts apart in one process', async () => {
    const other = await startCloudinaryStandIn({ cloudName: 'other-cloud', apiKey: '1', apiSecret: 'another-secret' });
    try {
      const mine = provider();
      const theirs = provider({
        cloudName: 'other-cloud',
        apiKey: '1',
        apiSecret: 'another-secret',
        uploadPrefix: other.uploadPrefix,
        folder: 'elsewhere',
      });
      const [a, b] = await Promise.all([mine.store(await staged(png(10, 10))), theirs.store(await staged(png(10, 10)))]);
      const delivery = { published: true, expiresAt: new Date(Date.now() + 60_000) };
      expect(mine.deliveryUrl({ ...a, kind: 'image', format: 'png' }, delivery)).toContain('/demo-cloud/image/authenticated/');
      expect(theirs.deliveryUrl({ ...b, kind: 'image', format: 'png' }, delivery)).toContain('/other-cloud/image/authenticated/');
      expect([standIn.stored.size, other.stored.size]).toEqual([1, 1]);
      expect(b.providerId).toMatch(/^elsewhere\//);
    } finally {
      await other.close();
    }
  });
});

describe('cloudinaryOptionsFromUrl', () => {
  it('reads the api key, secret and cloud name, and keeps the other options', () => {
    expect(cloudinaryOptionsFromUrl('cloudinary://614335564976464:a%2Fb-secret@my-cloud', { folder: 'f', timeoutMs: 1000 })).toEqual({
      cloudName: 'my-cloud',
      apiKey: '614335564976464',
      apiSecret: 'a/b-secret',
      folder: 'f',
      timeoutMs: 1000,
    });
  });

  it.each([
    ['not a URL', 'not a url'],
    ['another scheme', 'https://key:topsecret@my-cloud'],
    ['no secret', 'cloudinary://key@my-cloud'],
    ['no key', 'cloudinary://:topsecret@my-cloud'],
    ['no cloud name', 'cloudinary://key:topsecret@'],
    ['a path after the cloud name', 'cloudinary://key:topsecret@my-cloud/extra'],
  ])('refuses a URL with %s, naming the expected shape and not the secret', (_case, url) => {
    expect(() => cloudinaryOptionsFromUrl(url, {})).toThrow(
      /^CLOUDINARY_URL .*\(expected cloudinary:\/\/<api_key>:<api_secret>@<cloud_name>\)$/,
    );
    expect(() => cloudinaryOptionsFromUrl(url, {})).not.toThrow(/topsecret/);
  });

  it('makes a provider that reaches the account', async () => {
    const standIn = await startCloudinaryStandIn(ACCOUNT);
    const cloud = new CloudinaryProvider(
      cloudinaryOptionsFromUrl(`cloudinary://${ACCOUNT.apiKey}:${ACCOUNT.apiSecret}@${ACCOUNT.cloudName}`, {
        uploadPrefix: standIn.uploadPrefix,
      }),
    );
    const staging = await mkdtemp(join(tmpdir(), 'cloudinary-url-'));
    try {
      const path = join(staging, 'file');
      await writeFile(path, png(10, 10));
      const stored = await cloud.store({
        assetId: 'b'.repeat(24),
        courseId: COURSE,
        kind: 'image',
        format: 'png',
        mediaType: 'image/png',
        bytes: 0,
        path,
      });
      expect(standIn.stored.get(stored.providerId)?.bytes.equals(await readFile(path))).toBe(true);
    } finally {
      cloud.close();
      await standIn.close();
      await rm(staging, { recursive: true, force: true });
    }
  });
});
