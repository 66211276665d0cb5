import { createLogger, createMetrics, type Caller } from '@testmancer/shared';
import { domainRejection, mp4, png, startCloudinaryStandIn, type CloudinaryStandIn } from '@testmancer/testing';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Assets } from '../../src/application/assets';
import { SignedUrls } from '../../src/application/signed-urls';
import { Uploads } from '../../src/application/uploads';
import { UploadSlots } from '../../src/domain/upload-slots';
import type { UploadPart } from '../../src/domain/upload-stream';
import { createMediaMetrics } from '../../src/metrics';
import { CloudinaryProvider } from '../../src/providers/cloudinary';
import { LocalProvider } from '../../src/providers/local';
import type { MediaProvider } from '../../src/providers/provider';
import { DiskStagingArea } from '../../src/store/staging';
import { FakeCourses } from '../fakes/courses';
import { MemoryAssetStore } from '../fakes/memory-assets';

const COURSE = 'c0c0c0c0c0c0c0c0c0c0c0c0';
const CATEGORY = 'ca7ca7ca7ca7ca7ca7ca7ca7';
const admin: Caller = { kind: 'user', userId: 'a0a0a0a0a0a0a0a0a0a0a0a0', role: 'admin', categoryIds: [] };
const outsider: Caller = { kind: 'user', userId: 'b0b0b0b0b0b0b0b0b0b0b0b0', role: 'subadmin', categoryIds: ['dddddddddddddddddddddddd'] };

let counter = 0;
const newId = () => (++counter).toString(16).padStart(24, '0');

/** An upload as the rpc layer decodes it: metadata, then the file in chunks of `chunkBytes`. */
async function* parts(
  bytes: Buffer,
  meta: Partial<Extract<UploadPart, { type: 'metadata' }>> = {},
  chunkBytes = 1000,
): AsyncIterable<UploadPart> {
  yield { type: 'metadata', caller: admin, courseId: COURSE, filename: 'file.png', contentType: '', declaredSize: 0, ...meta };
  for (let at = 0; at < bytes.length; at += chunkBytes) yield { type: 'chunk', bytes: bytes.subarray(at, at + chunkBytes) };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('uploads', () => {
  let root: string;
  let store: MemoryAssetStore;
  let courses: FakeCourses;
  let metrics: ReturnType<typeof createMediaMetrics>;
  const logger = createLogger('media', 'silent');

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'media-uploads-'));
    store = new MemoryAssetStore();
    courses = new FakeCourses();
    courses.categories.set(COURSE, CATEGORY);
    metrics = createMediaMetrics(createMetrics('media'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const staging = () => new DiskStagingArea(join(root, '.staging'));
  const uploads = (
    provider: MediaProvider = new LocalProvider({ directory: root, publicBaseUrl: '' }),
    courseQuotaBytes = 1_000_000,
    slots = new UploadSlots(8, 2),
  ) =>
    new Uploads({
      assets: store,
      staging: staging(),
      provider,
      courses,
      limits: { maxBytes: { image: 50_000, video: 200_000 }, courseQuotaBytes },
      slots,
      metrics,
      logger,
      newId,
    });
  const stagedFiles = () => readdir(join(root, '.staging')).catch(() => []);
  const outcomes = async () => (await metrics.uploads.get()).values.map(({ labels, value }) => [labels.outcome, value]);

  test('a file is checked, stored under its id and made a ready asset; nothing stays staged', async () => {
    const bytes = png(40, 30, { noise: true });
    const asset = (await uploads().upload(parts(bytes, { filename: 'photo.png', contentType: 'image/png' }))).asset;
    expect(asset).toMatchObject({
      status: 'ready',
      kind: 'image',
      format: 'png',
      bytes: bytes.length,
      width: 40,
      height: 30,
      filename: 'photo.png',
    });
    expect(asset.url).toBe(`/api/media/${asset.id}/content`);
    expect(await readFile(join(root, asset.providerId))).toEqual(bytes);
    expect(asset.providerId).not.toContain('photo');
    expect(await stagedFiles()).toEqual([]);
    expect(await outcomes()).toEqual([['stored', 1]]);
  });

  test('the course may follow the metadata, never a byte; an upload without one is refused, nothing staged', async () => {
    async function* courseSecond(): AsyncIterable<UploadPart> {
      const [metadata, ...chunks] = await collect(parts(mp4(5000), { courseId: '', filename: 'clip.mp4' }));
      yield metadata!;
      yield { type: 'course', courseId: COURSE };
      yield* chunks;
    }
    expect((await uploads().upload(courseSecond())).asset).toMatchObject({ kind: 'video', courseId: COURSE });
    async function* courseLast(): AsyncIterable<UploadPart> {
      yield* parts(mp4(5000), { courseId: '', filename: 'clip.mp4' });
      yield { type: 'course', courseId: COURSE };
    }
    expect((await domainRejection(uploads().upload(courseLast()), 'invalid')).message).toMatch(/course before its bytes/);
    expect((await domainRejection(uploads().upload(parts(mp4(10), { courseId: '' })), 'invalid')).message).toMatch(/course/);
    expect(await stagedFiles()).toEqual([]);
  });

  test('past the bound on concurrent uploads (per user, then per pod): busy, until one ends', async () => {
    const slots = new UploadSlots(2, 1);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    async function* slow(caller: Caller): AsyncIterable<UploadPart> {
      const [metadata, ...chunks] = await collect(parts(png(8, 8), { caller }));
      yield metadata!;
      await held;
      yield* chunks;
    }
    const first = uploads(undefined, undefined, slots).upload(slow(admin));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await domainRejection(uploads(undefined, undefined, slots).upload(parts(png(4, 4))), 'busy')).message).toMatch(/one user/);
    const other: Caller = { ...admin, userId: 'e0e0e0e0e0e0e0e0e0e0e0e0' };
    const second = uploads(undefined, undefined, slots).upload(slow(other));
    await new Promise((resolve) => setImmediate(resolve));
    const third: Caller = { ...admin, userId: 'f0f0f0f0f0f0f0f0f0f0f0f0' };
    expect(
      (await domainRejection(uploads(undefined, undefined, slots).upload(parts(png(4, 4), { caller: third })), 'busy')).message,
    ).toMatch(/too many uploads/);
    release();
    await Promise.all([first, second]);
    expect((await uploads(undefined, undefined, slots).upload(parts(png(4, 4), { caller: third }))).asset.status).toBe('ready');
  });

  test("outside the author's categories: refused before a byte is staged", async () => {
    await domainRejection(uploads().upload(parts(png(4, 4), { caller: outsider })), 'forbidden');
    expect(await stagedFiles()).toEqual([]);
    expect(store.records.size).toBe(0);
  });

  test('past the limit of its kind: 413 while streaming, nothing kept', async () => {
    const error = await domainRejection(uploads().upload(parts(png(10, 10, { padding: 60_000 }))), 'too_large');
    expect(error.message).toMatch(/image files/);
    expect(store.records.size).toBe(0);
    expect(await stagedFiles()).toEqual([]);
    // A video of that size is within its own limit.
    expect((await uploads().upload(parts(mp4(60_000), { filename: 'clip.mp4' }))).asset).toMatchObject({ kind: 'video' });
  });

  test('more bytes than declared, or a declared size past every limit: refused', async () => {
    await domainRejection(uploads().upload(parts(png(4, 4), { declaredSize: 10 })), 'invalid');
    await domainRejection(uploads().upload(parts(png(4, 4), { declaredSize: 300_000 })), 'too_large');
  });

  test("the course's quota counts its ready assets: the upload that would pass it is refused and leaves nothing", async () => {
    const bytes = png(30, 30, { noise: true });
    await uploads(undefined, bytes.length * 2).upload(parts(bytes));
    await uploads(undefined, bytes.length * 2).upload(parts(bytes));
    const error = await domainRejection(uploads(undefined, bytes.length * 2).upload(parts(bytes)), 'too_large');
    expect(error.message).toMatch(/quota/);
    expect(store.records.size).toBe(2);
    const files = (
      await Promise.all((await readdir(root)).filter((name) => name !== '.staging').map((dir) => readdir(join(root, dir))))
    ).flat();
    expect(files).toHaveLength(2);
  });

  test('a second metadata, or chunks before metadata, are invalid', async () => {
    async function* twice(): AsyncIterable<UploadPart> {
      yield* parts(png(4, 4));
      yield { type: 'metadata', caller: admin, courseId: COURSE, filename: 'again.png', contentType: '', declaredSize: 0 };
    }
    async function* headless(): AsyncIterable<UploadPart> {
      yield { type: 'chunk', bytes: png(4, 4) };
    }
    await domainRejection(uploads().upload(twice()), 'invalid');
    await domainRejection(uploads().upload(headless()), 'invalid');
  });

  describe('with Cloudinary failing (its stand-in on loopback)', () => {
    let standIn: CloudinaryStandIn;
    let provider: CloudinaryProvider;
    const account = { cloudName: 'demo', apiKey: '1234', apiSecret: 'secret-of-the-stand-in' };

    beforeEach(async () => {
      standIn = await startCloudinaryStandIn(account);
      provider = new CloudinaryProvider({ ...account, uploadPrefix: standIn.uploadPrefix, timeoutMs: 300 });
    });
    afterEach(async () => {
      provider.close();
      await standIn.close();
    });

    test('a 5xx: a clear 503, no asset record, nothing left with the provider, the error counted', async () => {
      standIn.failNext(1, 502);
      const error = await domainRejection(uploads(provider).upload(parts(png(8, 8))), 'unavailable');
      expect(error.message).toMatch(/media provider failed.*502/);
      expect(store.records.size).toBe(0);
      expect(standIn.stored.size).toBe(0);
      expect(await stagedFiles()).toEqual([]);
      expect((await metrics.providerErrors.get()).values).toEqual([
        expect.objectContaining({ labels: { provider: 'cloudinary', operation: 'store' }, value: 1 }),
      ]);
      expect(await outcomes()).toEqual([['failed', 1]]);
    });

    test('a timeout: a clear 503, and the removal that follows leaves nothing stored', async () => {
      standIn.hangNext(1);
      const error = await domainRejection(uploads(provider).upload(parts(png(8, 8))), 'unavailable');
      expect(error.message).toMatch(/did not answer/);
      expect(store.records.size).toBe(0);
      expect(standIn.stored.size).toBe(0);
    });

    test('when it answers, the asset is ready at its lasting URL, held by Cloudinary', async () => {
      const asset = (await uploads(provider).upload(parts(png(700, 10)))).asset;
      expect(asset).toMatchObject({ status: 'ready', provider: 'cloudinary', servedByMedia: false, width: 700 });
      expect(asset.url).toBe(`/api/media/${asset.id}/content`);
      expect(asset.providerId).toBe(`testmancer/${asset.courseId}/${asset.id}`);
      expect(asset.renditions.map((rendition) => rendition.width)).toEqual([320, 640]);
      expect(standIn.stored.size).toBe(1);
    });
  });
});

describe('deleting', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'media-delete-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  test('refused (409) while a page uses the asset, which stays ready; done once no page does', async () => {
    const store = new MemoryAssetStore();
    const courses = new FakeCourses();
    courses.categories.set(COURSE, CATEGORY);
    const provider = new LocalProvider({ directory: root, publicBaseUrl: '' });
    const metrics = createMediaMetrics(createMetrics('media'));
    const logger = createLogger('media', 'silent');
    const limits = { maxBytes: { image: 50_000, video: 50_000 }, courseQuotaBytes: 1_000_000 };
    const { asset } = await new Uploads({
      assets: store,
      staging: new DiskStagingArea(join(root, '.staging')),
      provider,
      courses,
      limits,
      slots: new UploadSlots(8, 2),
      metrics,
      logger,
      newId,
    }).upload(parts(png(4, 4)));
    const signedUrls = new SignedUrls({ signOwn: () => 'signature', verifyOwn: () => false }, 60_000);
    const assets = new Assets({ assets: store, provider, courses, signedUrls, metrics, logger, newId });
    courses.uses.set(asset.id, { courseId: COURSE, unitId: 'u', pageId: 'p', pageTitle: 'Welcome' });

    const refused = await domainRejection(assets.delete(admin, asset.id), 'conflict');
    expect(refused.message).toMatch(/Welcome/);
    expect((await assets.visible(admin, asset.id)).asset.status).toBe('ready');

    courses.uses.clear();
    await domainRejection(assets.delete(outsider, asset.id), 'forbidden');
    await assets.delete(admin, asset.id);
    await domainRejection(assets.visible(admin, asset.id), 'not_found');
    await expect(readFile(join(root, asset.providerId))).rejects.toThrow(/ENOENT/);
  });
});
