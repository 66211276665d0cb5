import {
  checkPageVersion,
  createPage,
  pageMedia,
  updatePage,
  validatePageTitle,
  validateUnitTitle,
  type Block,
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

describe('pageMedia', () => {
  const [A1, A2, A3] = [oid(0xa1), oid(0xa2), oid(0xa3)];
  const image = (assetId: string): Block => ({ type: 'image', assetId, alt: '' });
  const video = (assetId: string): Block => ({ type: 'video', assetId });
  const asset = (assetId: string, kind: 'image' | 'video'): MediaRef => ({ assetId, url: '', kind, providerId: '' });
  const legacy: MediaRef = { assetId: '', url: 'https://res.example/x.png', kind: 'image', providerId: 'x' };

  it('lists the assets of image and video blocks once each, in block order', () => {
    const blocks: Block[] = [{ type: 'markdown', markdown: 'm' }, video(A2), image(A1), image(A1)];
    expect(pageMedia(blocks)).toEqual([asset(A2, 'video'), asset(A1, 'image')]);
  });

  it('keeps media the previous blocks did not explain, and drops assets no block uses any more', () => {
    const previous = { blocks: [image(A1)], media: [asset(A1, 'image'), legacy] };
    expect(pageMedia([video(A3)], previous)).toEqual([asset(A3, 'video'), legacy]);
    expect(pageMedia([], previous)).toEqual([legacy]);
  });
});
