import { domainRejection } from '@testmancer/testing';
import { ObjectId } from 'mongodb';
import type { Block } from '../../src/domain';
import type { StoredPage } from '../../src/store/pages';
import { admin, contentReplica, courseWithUnit, memoryDatabase, type MemoryDatabase } from '../fakes/content';
import { MemoryAssetCatalog } from '../fakes/memory-media';
import { MemoryPageStore } from '../fakes/memory-stores';

const rejects = domainRejection;

const image = (assetId: string): Block => ({ type: 'image', assetId, alt: 'a picture' });
const video = (assetId: string): Block => ({ type: 'video', assetId });
const markdown = (text: string): Block => ({ type: 'markdown', markdown: text });

/** A page store whose next `replace` first lets another writer in: the compare-and-set it runs then loses once. */
class OvertakenPageStore extends MemoryPageStore {
  overtake?: (before: StoredPage) => StoredPage;

  override async replace(before: StoredPage, next: StoredPage): Promise<StoredPage | undefined> {
    const other = this.overtake;
    this.overtake = undefined;
    if (other) await super.replace(before, other(before));
    return super.replace(before, next);
  }
}

async function setUp(db: MemoryDatabase = memoryDatabase()) {
  const media = new MemoryAssetCatalog();
  const replica = contentReplica(db, { assets: media });
  const { courseId, unitId } = await courseWithUnit(replica);
  const where = { courseId, unitId, pageOrder: 1 };
  return { db, media, replica, courseId, unitId, where };
}

describe('a page write resolves the assets it adds with the media service', () => {
  test('a new asset is stored with what the media service said of it, asked about once however many blocks use it', async () => {
    const { db, media, replica, courseId, unitId } = await setUp();
    const picture = media.add(courseId, 'image');
    const clip = media.add(courseId, 'video');
    const blocks = [image(picture.id), markdown('between'), video(clip.id), image(picture.id)];
    const { placed } = await replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks });
    const expected = [
      {
        assetId: picture.id,
        url: picture.url,
        kind: 'image',
        providerId: picture.providerId,
        width: 1200,
        height: 800,
        renditions: picture.renditions,
        mediaType: 'image/png',
      },
      { assetId: clip.id, url: clip.url, kind: 'video', providerId: clip.providerId, renditions: [], mediaType: 'video/mp4' },
    ];
    expect(placed.page.media).toEqual(expected);
    expect(db.pages.pages.get(placed.page.id)?.media).toEqual(expected);
    expect(media.lookups.sort()).toEqual([picture.id, clip.id].sort());
    // Asked all at once, not one after another.
    expect(media.mostAtOnce).toBe(2);
  });

  test('an asset the media service does not have is a 400 naming the block, and nothing is stored', async () => {
    const { db, media, replica, courseId, unitId } = await setUp();
    const picture = media.add(courseId, 'image');
    const madeUp = new ObjectId().toHexString();
    const error = await rejects(
      replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [image(picture.id), markdown('m'), image(madeUp)] }),
      'invalid',
    );
    expect(error.issues).toEqual([{ path: 'blocks/2/assetId', message: 'no such media asset' }]);
    expect(db.pages.pages.size).toBe(0);
    expect(db.courses.courses.get(courseId)?.units[0]?.pageIds).toEqual([]);
  });

  test("another course's asset is a 400", async () => {
    const { media, replica, courseId, unitId } = await setUp();
    const elsewhere = media.add(new ObjectId().toHexString(), 'image');
    const error = await rejects(
      replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [image(elsewhere.id)] }),
      'invalid',
    );
    expect(error.issues).toEqual([{ path: 'blocks/0/assetId', message: 'the asset belongs to another course' }]);
  });

  test('an asset of another kind than its block is a 400, one issue per block', async () => {
    const { media, replica, courseId, unitId, where } = await setUp();
    const clip = media.add(courseId, 'video');
    const picture = media.add(courseId, 'image');
    const error = await rejects(
      replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [image(clip.id), video(picture.id), image(clip.id)] }),
      'invalid',
    );
    expect(error.issues).toEqual([
      { path: 'blocks/0/assetId', message: 'the asset is a video, not an image' },
      { path: 'blocks/1/assetId', message: 'the asset is an image, not a video' },
      { path: 'blocks/2/assetId', message: 'the asset is a video, not an image' },
    ]);
    // The same on an edit, which then changes nothing.
    const { placed } = await replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [image(picture.id)] });
    const edit = await rejects(replica.pages.updatePage(admin, where, { blocks: [image(picture.id), image(clip.id)] }), 'invalid');
    expect(edit.issues).toEqual([{ path: 'blocks/1/assetId', message: 'the asset is a video, not an image' }]);
    expect((await replica.pages.getPage(admin, where)).page.version).toBe(placed.page.version);
  });

  test('blocks that fail validation are refused before any lookup', async () => {
    const { media, replica, courseId, unitId } = await setUp();
    await rejects(
      replica.pages.createPage(admin, { courseId, unitId }, { title: '', blocks: [image(new ObjectId().toHexString())] }),
      'invalid',
    );
    expect(media.lookups).toEqual([]);
  });

  test('an asset the page already has is not asked about again (nor is any, for a title-only edit)', async () => {
    const { db, media, replica, courseId, unitId, where } = await setUp();
    const first = media.add(courseId, 'image');
    await replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [image(first.id)] });
    const stored = db.pages.pages.get(db.courses.courses.get(courseId)!.units[0]!.pageIds[0]!)!.media;
    // Gone from the media service since: a page that had it keeps working.
    media.assets.delete(first.id);
    media.lookups.length = 0;

    const second = media.add(courseId, 'video');
    const { placed } = await replica.pages.updatePage(admin, where, { blocks: [markdown('intro'), image(first.id), video(second.id)] });
    expect(media.lookups).toEqual([second.id]);
    expect(placed.page.media).toEqual([...stored, expect.objectContaining({ assetId: second.id, url: second.url, kind: 'video' })]);

    media.lookups.length = 0;
    const renamed = await replica.pages.updatePage(admin, where, { title: 'Renamed' });
    expect(renamed.placed.page.title).toBe('Renamed');
    expect(renamed.placed.page.media).toEqual(placed.page.media);
    await replica.pages.updatePage(admin, where, {
      title: 'Renamed again',
      blocks: [markdown('intro'), image(first.id), video(second.id)],
    });
    expect(media.lookups).toEqual([]);
  });

  test('a lost compare-and-set is retried without asking the media service again', async () => {
    const pages = new OvertakenPageStore();
    const { media, replica, courseId, unitId, where } = await setUp({ ...memoryDatabase(), pages });
    const first = media.add(courseId, 'image');
    await replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [image(first.id)] });
    media.lookups.length = 0;
    const second = media.add(courseId, 'image');
    // Another writer lands first and drops the first asset; the retry still counts it as the page's (it was, when the edit began).
    pages.overtake = (before) => ({ ...before, blocks: [markdown('the other edit')], media: [] });
    const { placed } = await replica.pages.updatePage(admin, where, { blocks: [image(first.id), image(second.id)] });
    expect(pages.steps.callsOf('replace')).toBe(3);
    expect(media.lookups).toEqual([second.id]);
    expect(placed.page.media.map((ref) => [ref.assetId, ref.url])).toEqual([
      [first.id, first.url],
      [second.id, second.url],
    ]);
  });

  test('a media service that cannot be reached fails the write with its error, and nothing is stored', async () => {
    const { db, media, replica, courseId, unitId } = await setUp();
    media.failure = new Error('media unavailable');
    await expect(
      replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [image(new ObjectId().toHexString())] }),
    ).rejects.toThrow('media unavailable');
    expect(db.pages.pages.size).toBe(0);
  });
});

describe('FindAssetUse', () => {
  test('finds a live page using the asset, and nothing for an asset no page uses', async () => {
    const { media, replica, courseId, unitId, where } = await setUp();
    const used = media.add(courseId, 'image');
    const unused = media.add(courseId, 'image');
    await replica.pages.createPage(admin, { courseId, unitId }, { title: 'Intro', blocks: [markdown('m')] });
    await replica.pages.createPage(admin, { courseId, unitId }, { title: 'Pictures', blocks: [markdown('m'), image(used.id)] });
    const { page } = await replica.pages.getPage(admin, { ...where, pageOrder: 2 });

    expect(await replica.pages.findAssetUse(used.id)).toEqual({ pageId: page.id, courseId, unitId, title: 'Pictures' });
    expect(await replica.pages.findAssetUse(unused.id)).toBeUndefined();

    await replica.pages.deletePage(admin, { ...where, pageOrder: 2 });
    expect(await replica.pages.findAssetUse(used.id)).toBeUndefined();
  });
});
