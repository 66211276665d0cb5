/**
 * What every PageStore promises: run against the in-memory fake
 * (store/page-store.test.ts) and against the MongoDB adapter on the local
 * database (store/page-store.int.test.ts). Page versions come from their
 * course's counter (PageState.version): the adapter keeps it on the course,
 * so each run says how a course comes to exist.
 */
import { ObjectId } from 'mongodb';
import type { MediaRef, PageState } from '../../src/domain';
import type { PageStore, StoredPage } from '../../src/store/pages';

const newId = () => new ObjectId().toHexString();

export interface PagesUnderTest {
  store: PageStore;
  /** Makes a course for pages to belong to. */
  addCourse(courseId: string): Promise<void>;
}

export function pageStoreContract(open: () => Promise<PagesUnderTest> | PagesUnderTest): void {
  let store: PageStore;
  let courseId: string;
  let unitId: string;
  const image = (assetId = newId()): MediaRef => ({
    assetId,
    url: `/api/media/${assetId}/content`,
    kind: 'image',
    providerId: 'ab/cd.png',
    width: 640,
    height: 480,
    renditions: [{ width: 320, url: `/api/media/${assetId}/content?width=320` }],
    mediaType: 'image/png',
  });
  const newPage = (title = 'Valley fold'): Omit<PageState, 'version'> => ({
    id: newId(),
    courseId,
    unitId,
    title,
    blocks: [{ type: 'markdown', markdown: `# ${title}` }],
  });

  beforeEach(async () => {
    const pages = await open();
    store = pages.store;
    courseId = newId();
    unitId = newId();
    await pages.addCourse(courseId);
  });

  test("a page is stored with its media and a version from its course's counter, and read back as stored", async () => {
    const first = await store.insert(newPage('One'), [image()]);
    const second = await store.insert(newPage('Two'), []);
    expect(first).toMatchObject({ title: 'One', version: 1, media: [image(first.media[0]!.assetId)] });
    expect(second.version).toBe(2);
    expect(await store.get(first.id, courseId)).toEqual(first);
    expect(await store.read(first.id, courseId)).toEqual(first);
    expect(await store.readMany([second.id, newId(), first.id], courseId)).toEqual([second, first]);
    expect(await store.get(first.id, newId())).toBeUndefined();
    expect(await store.titles([first.id, second.id, newId()])).toEqual(
      new Map([
        [first.id, 'One'],
        [second.id, 'Two'],
      ]),
    );
  });

  test('replace is a compare-and-set one version up; a stale one changes nothing; the counter stays above every version', async () => {
    const stored = await store.insert(newPage(), []);
    const edited: StoredPage = { ...stored, title: 'Mountain fold', media: [image()] };
    const written = await store.replace(stored, edited);
    expect(written).toMatchObject({ title: 'Mountain fold', version: stored.version + 1, media: edited.media });
    expect(await store.get(stored.id, courseId)).toEqual(written);
    expect(await store.replace(stored, { ...stored, title: 'Stale' })).toBeUndefined();
    expect((await store.get(stored.id, courseId))?.title).toBe('Mountain fold');
    expect((await store.insert(newPage(), [])).version).toBeGreaterThan(written!.version);
  });

  test('remove marks the live page deleted (at the version given, if one is), restore undoes that mark only', async () => {
    const stored = await store.insert(newPage(), []);
    expect(await store.remove(stored.id, courseId, stored.version + 1)).toBeUndefined();
    expect(await store.remove(stored.id, newId())).toBeUndefined();
    const deletedAt = await store.remove(stored.id, courseId, stored.version);
    expect(deletedAt).toBeInstanceOf(Date);
    expect(await store.get(stored.id, courseId)).toBeUndefined();
    expect(await store.replace(stored, { ...stored, title: 'Too late' })).toBeUndefined();
    expect(await store.remove(stored.id, courseId)).toBeUndefined();

    await store.restore(stored.id, new Date(deletedAt!.getTime() - 1));
    expect(await store.get(stored.id, courseId)).toBeUndefined();
    await store.restore(stored.id, deletedAt!);
    expect(await store.get(stored.id, courseId)).toEqual(stored);
  });

  test("markDeleted takes pages out of their course's reads, not out of titles; discard removes a page altogether", async () => {
    const [kept, deleted, discarded] = [
      await store.insert(newPage('Kept'), []),
      await store.insert(newPage('Gone'), []),
      await store.insert(newPage('Never'), []),
    ];
    await store.markDeleted([deleted.id]);
    await store.discard(discarded.id);
    expect(await store.readMany([kept.id, deleted.id, discarded.id], courseId)).toEqual([kept]);
    expect(await store.titles([deleted.id, discarded.id])).toEqual(new Map([[deleted.id, 'Gone']]));
  });

  test('moved pages take new versions above every version so far, in the order given; moving none changes nothing', async () => {
    const a = await store.insert(newPage('A'), []);
    const b = await store.insert(newPage('B'), []);
    const bEdited = (await store.replace(b, { ...b, title: 'B2' }))!;
    await store.moved(courseId, [b.id, a.id]);
    const [movedA, movedB] = [await store.get(a.id, courseId), await store.get(b.id, courseId)];
    expect(movedB!.version).toBeGreaterThan(bEdited.version);
    expect(movedA!.version).toBe(movedB!.version + 1);

    const c = await store.insert(newPage('C'), []);
    const cEdited = (await store.replace(c, { ...c, title: 'C2' }))!;
    await store.moved(courseId, []);
    expect((await store.get(c.id, courseId))?.version).toBe(cEdited.version);
  });

  test('the live page that uses an asset is found by the asset; a deleted one is not', async () => {
    const assetId = newId();
    const using = await store.insert(newPage('Uses it'), [image(assetId)]);
    expect(await store.usingAsset(assetId)).toEqual({ pageId: using.id, courseId, unitId, title: 'Uses it' });
    expect(await store.usingAsset(newId())).toBeUndefined();
    await store.markDeleted([using.id]);
    expect(await store.usingAsset(assetId)).toBeUndefined();
  });
}
