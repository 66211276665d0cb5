import {
  assetsToResolve,
  checkPageVersion,
  createPage,
  pageMedia,
  updatePage,
  validatePageTitle,
  validateUnitTitle,
  type AssetFacts,
  type Block,
  type MediaKind,
  type MediaRef,
} from '../../src/domain';
import { deepFreeze, domainError, oid } from './helpers';

const input = {
  id: oid(1),
  courseId: oid(2),
  unitId: oid(3),
  title: ' Intro ',
  blocks: [{ type: 'markdown', markdown: 'Hi' }] as const,
};

describe('createPage', () => {
  it("trims the title and validates the blocks; the first version is the store's to give", () => {
    expect(createPage(deepFreeze({ ...input }))).toEqual({ ...input, title: 'Intro' });
  });

  it('reports title and block problems together', () => {
    const blocks = [{ type: 'embed', url: 'http://x.example' }] as const;
    const error = domainError(() => createPage({ ...input, title: '', blocks }), 'invalid');
    expect(error.issues).toEqual([
      { path: 'title', message: 'must not be empty' },
      { path: 'blocks/0/url', message: 'must be an https URL with a host' },
    ]);
  });
});

describe('updatePage', () => {
  const page = deepFreeze({ ...createPage(input), version: 7 });

  it('applies the change and leaves the new version to the store', () => {
    const renamed = updatePage(page, { title: 'Welcome' });
    expect(renamed).toEqual({ ...page, title: 'Welcome' });
    expect(updatePage(renamed, { blocks: [] })).toEqual({ ...renamed, blocks: [] });
  });

  it('keeps the blocks array itself when only the title changes', () => {
    expect(updatePage(page, { title: 'Welcome' }).blocks).toBe(page.blocks);
    expect(updatePage(page, { title: 'Welcome', blocks: [{ type: 'markdown', markdown: 'Hi' }] }).blocks).toBe(page.blocks);
    expect(updatePage(page, { blocks: [] }).blocks).toEqual([]);
  });

  it('returns the page itself when nothing changes', () => {
    expect(updatePage(page, {})).toBe(page);
    expect(updatePage(page, { title: 'Intro', blocks: [{ type: 'markdown', markdown: 'Hi' }] })).toBe(page);
  });

  it('rejects invalid input', () => {
    expect(
      domainError(() => updatePage(page, { title: ' ', blocks: [{ type: 'embed', url: 'http://example.com' }] }), 'invalid').issues,
    ).toEqual([
      { path: 'title', message: 'must not be empty' },
      { path: 'blocks/0/url', message: 'must be an https URL with a host' },
    ]);
  });
});

describe('titles', () => {
  it.each([validatePageTitle, validateUnitTitle])('%p trims and allows 1..200 characters', (validate) => {
    expect(validate('  T ')).toBe('T');
    expect(validate('x'.repeat(200))).toHaveLength(200);
    expect(domainError(() => validate(' '), 'invalid').issues).toEqual([{ path: 'title', message: 'must not be empty' }]);
    expect(domainError(() => validate('x'.repeat(201)), 'invalid').issues).toEqual([
      { path: 'title', message: 'must be at most 200 characters' },
    ]);
  });
});

describe('checkPageVersion', () => {
  const page = { ...createPage(input), version: 5 };

  it('passes for the current version or none, and is stale otherwise', () => {
    expect(() => checkPageVersion(page, 5)).not.toThrow();
    expect(() => checkPageVersion(page)).not.toThrow();
    expect(domainError(() => checkPageVersion(page, 4), 'stale').message).toMatch(/page has changed: its current version is 5/);
  });
});

describe('page media', () => {
  const COURSE = oid(2);
  const [A1, A2, A3, A4] = [oid(0xa1), oid(0xa2), oid(0xa3), oid(0xa4)];
  const image = (assetId: string): Block => ({ type: 'image', assetId, alt: '' });
  const video = (assetId: string): Block => ({ type: 'video', assetId });
  const facts = (id: string, kind: MediaKind, courseId = COURSE): AssetFacts => ({
    id,
    courseId,
    kind,
    url: `https://media.example/${id}`,
    providerId: `p/${id}`,
    ...(kind === 'image' && { width: 640, height: 480 }),
    renditions: kind === 'image' ? [{ width: 320, url: `https://media.example/${id}?w=320` }] : [],
    mediaType: kind === 'image' ? 'image/png' : 'video/mp4',
  });
  const refOf = ({ id, courseId: _courseId, ...rest }: AssetFacts): MediaRef => ({ assetId: id, ...rest });
  /** A ref of a page written before assets were checked: the id and the kind only. */
  const bare = (assetId: string, kind: MediaKind): MediaRef => ({ assetId, url: '', kind, providerId: '', renditions: [], mediaType: '' });
  const legacy: MediaRef = { assetId: '', url: 'https://res.example/x.png', kind: 'image', providerId: 'x', renditions: [], mediaType: '' };
  const found = (...assets: AssetFacts[]) => new Map(assets.map((asset) => [asset.id, asset]));

  describe('assetsToResolve', () => {
    it('names each asset of the image and video blocks once, in block order, leaving out the ones the page carries', () => {
      const blocks: Block[] = [{ type: 'markdown', markdown: 'm' }, video(A2), image(A1), image(A1), image(A3)];
      expect(assetsToResolve(blocks)).toEqual([A2, A1, A3]);
      expect(assetsToResolve(blocks, [bare(A1, 'image'), legacy])).toEqual([A2, A3]);
      expect(assetsToResolve([{ type: 'markdown', markdown: 'm' }], [bare(A1, 'image')])).toEqual([]);
    });
  });

  describe('pageMedia', () => {
    it('keeps what the media service said of each new asset, once each, in block order', () => {
      const blocks: Block[] = [{ type: 'markdown', markdown: 'm' }, video(A2), image(A1), image(A1)];
      const media = pageMedia({ courseId: COURSE, blocks, found: found(facts(A1, 'image'), facts(A2, 'video')) });
      expect(media).toEqual([refOf(facts(A2, 'video')), refOf(facts(A1, 'image'))]);
      expect(media[1]).toMatchObject({ url: `https://media.example/${A1}`, width: 640, height: 480, mediaType: 'image/png' });
    });

    it('keeps the assets the page carries as they are, unchecked', () => {
      const previous = { blocks: [image(A1)], media: [bare(A1, 'image')] };
      expect(pageMedia({ courseId: COURSE, blocks: [image(A1), video(A2)], previous, found: found(facts(A2, 'video')) })).toEqual([
        bare(A1, 'image'),
        refOf(facts(A2, 'video')),
      ]);
    });

    it('refuses, one issue per block, an asset the media service does not have, one of another course, one of another kind', () => {
      const blocks: Block[] = [image(A1), { type: 'markdown', markdown: 'm' }, image(A2), image(A3), video(A4), image(A1)];
      const answers = new Map<string, AssetFacts | undefined>([
        [A1, undefined],
        [A2, facts(A2, 'image', oid(99))],
        [A3, facts(A3, 'video')],
        [A4, facts(A4, 'image')],
      ]);
      expect(domainError(() => pageMedia({ courseId: COURSE, blocks, found: answers }), 'invalid').issues).toEqual([
        { path: 'blocks/0/assetId', message: 'no such media asset' },
        { path: 'blocks/2/assetId', message: 'the asset belongs to another course' },
        { path: 'blocks/3/assetId', message: 'the asset is a video, not an image' },
        { path: 'blocks/4/assetId', message: 'the asset is an image, not a video' },
        { path: 'blocks/5/assetId', message: 'no such media asset' },
      ]);
    });

    it('refuses a carried asset in a block of another kind than the page had it as', () => {
      const previous = { blocks: [image(A1)], media: [refOf(facts(A1, 'image'))] };
      expect(domainError(() => pageMedia({ courseId: COURSE, blocks: [image(A1), video(A1)], previous }), 'invalid').issues).toEqual([
        { path: 'blocks/1/assetId', message: 'the asset is an image, not a video' },
      ]);
    });

    it('counts as carried what the caller says the page had (an edit retried after another writer dropped an asset)', () => {
      const previous = { blocks: [], media: [] };
      const carried = [refOf(facts(A1, 'image'))];
      expect(pageMedia({ courseId: COURSE, blocks: [image(A1)], previous, carried })).toEqual(carried);
    });

    it('keeps media the previous blocks did not explain, and drops assets no block uses any more', () => {
      const previous = { blocks: [image(A1)], media: [bare(A1, 'image'), legacy] };
      expect(pageMedia({ courseId: COURSE, blocks: [video(A3)], previous, found: found(facts(A3, 'video')) })).toEqual([
        refOf(facts(A3, 'video')),
        legacy,
      ]);
      expect(pageMedia({ courseId: COURSE, blocks: [], previous })).toEqual([legacy]);
    });
  });
});
