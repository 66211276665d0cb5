/**
 * What every AssetStore promises, as the upload and delete use cases rely on
 * it: run against the in-memory fake (store/asset-store.test.ts) and against
 * the MongoDB adapter on the local database (store/asset-store.int.test.ts).
 * Both take the clock the contract moves.
 */
import { ObjectId } from 'mongodb';
import type { Asset } from '../../src/domain/asset';
import type { AssetStore, Placement } from '../../src/store/assets';

const newId = () => new ObjectId().toHexString();
const START = Date.parse('2026-12-07T10:00:00.000Z');

export interface Clock {
  now: () => Date;
  advance(ms: number): void;
}

export function assetStoreContract(open: (clock: Clock) => Promise<AssetStore> | AssetStore): void {
  let store: AssetStore;
  let clock: Clock;
  let courseId: string;
  const uploading = (extra: Partial<Asset> = {}): Asset => ({
    id: newId(),
    courseId,
    kind: 'image',
    format: 'png',
    mediaType: 'image/png',
    bytes: 1_000,
    checksum: 'sha256-of-the-bytes',
    filename: 'diagram.png',
    status: 'uploading',
    provider: '',
    providerId: '',
    url: '',
    renditions: [],
    servedByMedia: false,
    createdBy: newId(),
    createdAt: clock.now(),
    version: 1,
    ...extra,
  });
  const placement: Placement = {
    provider: 'local',
    providerId: 'ab/cdef.png',
    url: '/api/media/x/content',
    renditions: [{ width: 320, url: '/api/media/x/content?width=320' }],
    servedByMedia: true,
    width: 640,
    height: 480,
  };

  beforeEach(async () => {
    let ms = START;
    clock = { now: () => new Date(ms), advance: (by) => (ms += by) };
    store = await open(clock);
    courseId = newId();
  });

  test('a record is read back by id as it was written; an unknown or malformed id is undefined; an id is stored once', async () => {
    const asset = uploading();
    await store.insert(asset);
    expect(await store.byId(asset.id)).toEqual(asset);
    expect(await store.byId(newId())).toBeUndefined();
    expect(await store.byId('not-an-id')).toBeUndefined();
    await expect(store.insert({ ...asset, filename: 'again.png' })).rejects.toThrow();
    expect(await store.byId(asset.id)).toEqual(asset);
  });

  test('an upload becomes ready once, one version up, where the provider put it', async () => {
    const asset = uploading();
    await store.insert(asset);
    const ready = { ...asset, ...placement, status: 'ready', version: 2 };
    expect(await store.markReady(asset.id, placement)).toEqual(ready);
    expect(await store.markReady(asset.id, placement)).toBeUndefined();
    expect(await store.byId(asset.id)).toEqual(ready);
  });

  test('a status moves by compare-and-set on status and version', async () => {
    const asset = uploading({ status: 'ready', version: 4 });
    await store.insert(asset);
    expect(await store.moveStatus(asset.id, 3, 'ready', 'deleting')).toBeUndefined();
    expect(await store.moveStatus(asset.id, 4, 'uploading', 'deleting')).toBeUndefined();
    const deleting = await store.moveStatus(asset.id, 4, 'ready', 'deleting');
    expect(deleting).toEqual({ ...asset, status: 'deleting', version: 5 });
    await store.remove(asset.id);
    expect(await store.byId(asset.id)).toBeUndefined();
  });

  test("a course's quota counts its ready assets and uploads under way, not those being deleted nor other courses'", async () => {
    await store.insert(uploading({ bytes: 100 }));
    await store.insert(uploading({ bytes: 20, status: 'ready' }));
    await store.insert(uploading({ bytes: 3, status: 'deleting' }));
    await store.insert(uploading({ bytes: 4_000, courseId: newId() }));
    expect(await store.bytesOfCourse(courseId)).toBe(120);
  });

  test('unfinished: records left uploading or deleting since before the time, oldest change first, at most the limit', async () => {
    const stuckUpload = uploading();
    await store.insert(stuckUpload);
    clock.advance(1_000);
    const ready = uploading({ status: 'ready' });
    await store.insert(ready);
    const stuckDelete = uploading({ status: 'ready' });
    await store.insert(stuckDelete);
    clock.advance(1_000);
    await store.moveStatus(stuckDelete.id, 1, 'ready', 'deleting');
    clock.advance(1_000);
    const recent = uploading();
    await store.insert(recent);
    // An old upload that moved to deleting just now has been left since then, not since it was made.
    const justMoved = uploading({ createdAt: new Date(START - 60_000), status: 'ready' });
    await store.insert(justMoved);
    await store.moveStatus(justMoved.id, 1, 'ready', 'deleting');

    const ids = (assets: Asset[]) => assets.filter((asset) => asset.courseId === courseId).map((asset) => asset.id);
    const before = new Date(clock.now().getTime() - 500);
    expect(ids(await store.unfinished(before, 10))).toEqual([stuckUpload.id, stuckDelete.id]);
    expect(ids(await store.unfinished(before, 1))).toEqual([stuckUpload.id]);
  });
}
