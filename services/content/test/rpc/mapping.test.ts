import { contentV1 } from '@testmancer/proto';
import { DomainError } from '@testmancer/shared';
import { ObjectId } from 'mongodb';
import { validateBlocks } from '../../src/domain';
import { assetUseMessage, blocksFromProto, pageMessage, statusFilter } from '../../src/rpc/mapping';
import type { StoredPage } from '../../src/store/pages';

describe('blocksFromProto', () => {
  it('gives the domain blocks, which the domain accepts', () => {
    const asset = new ObjectId().toHexString();
    const blocks: contentV1.Block[] = [
      { kind: { $case: 'markdown', value: { markdown: '# Hi' } } },
      { kind: { $case: 'image', value: { assetId: asset, alt: 'a' } } },
      { kind: { $case: 'video', value: { assetId: asset, caption: undefined } } },
      { kind: { $case: 'embed', value: { url: 'https://example.com/x' } } },
      { kind: { $case: 'callout', value: { tone: contentV1.CalloutTone.WARNING, markdown: 'careful' } } },
    ];
    expect(validateBlocks(blocksFromProto(blocks))).toEqual([
      { type: 'markdown', markdown: '# Hi' },
      { type: 'image', assetId: asset, alt: 'a' },
      { type: 'video', assetId: asset },
      { type: 'embed', url: 'https://example.com/x' },
      { type: 'callout', tone: 'warning', markdown: 'careful' },
    ]);
  });

  it('leaves unset kinds and tones out, so that the issues name them', () => {
    const blocks: contentV1.Block[] = [
      { kind: undefined },
      { kind: { $case: 'callout', value: { tone: contentV1.CalloutTone.UNSPECIFIED, markdown: '' } } },
    ];
    try {
      validateBlocks(blocksFromProto(blocks));
      throw new Error('expected invalid blocks');
    } catch (error) {
      expect((error as DomainError).issues.map((issue) => issue.path)).toEqual(['blocks/0/type', 'blocks/1/tone']);
    }
  });
});

describe('statusFilter', () => {
  it('reads unspecified as no filter and refuses unknown values', () => {
    expect(statusFilter(contentV1.CourseStatus.UNSPECIFIED)).toBeUndefined();
    expect(statusFilter(contentV1.CourseStatus.ARCHIVED)).toBe('archived');
    expect(() => statusFilter(contentV1.CourseStatus.UNRECOGNIZED)).toThrow(DomainError);
  });
});

describe('pageMessage', () => {
  it('sends each media ref with what the media service said of it, and legacy media with what it has', () => {
    const assetId = new ObjectId().toHexString();
    const page: StoredPage = {
      id: new ObjectId().toHexString(),
      courseId: new ObjectId().toHexString(),
      unitId: new ObjectId().toHexString(),
      title: 'Pictures',
      blocks: [{ type: 'image', assetId, alt: '' }],
      media: [
        {
          assetId,
          url: 'https://media.example/a.png',
          kind: 'image',
          providerId: 'course/a',
          width: 1200,
          height: 800,
          renditions: [{ width: 480, url: 'https://media.example/a-480.png' }],
          mediaType: 'image/png',
        },
        { assetId: '', url: 'https://legacy.example/b.mp4', kind: 'video', providerId: '', renditions: [], mediaType: '' },
      ],
      version: 4,
      createdAt: new Date('2030-01-01T00:00:00Z'),
      updatedAt: new Date('2030-01-02T00:00:00Z'),
    };
    const message = pageMessage({ page, where: { unitId: page.unitId, pageOrder: 1 } });
    expect(message.media).toEqual([
      {
        assetId,
        url: 'https://media.example/a.png',
        kind: contentV1.MediaKind.IMAGE,
        providerId: 'course/a',
        width: 1200,
        height: 800,
        renditions: [{ width: 480, url: 'https://media.example/a-480.png' }],
        mediaType: 'image/png',
      },
      { assetId: '', url: 'https://legacy.example/b.mp4', kind: contentV1.MediaKind.VIDEO, providerId: '', renditions: [], mediaType: '' },
    ]);
    // What goes over the wire comes back the same.
    expect(contentV1.Page.decode(contentV1.Page.encode(message).finish()).media).toEqual(message.media);
  });
});

describe('assetUseMessage', () => {
  it('names the page using the asset, or says that none does', () => {
    const use = { pageId: 'p', courseId: 'c', unitId: 'u', title: 'Pictures' };
    expect(assetUseMessage(use)).toEqual({ used: true, courseId: 'c', unitId: 'u', pageId: 'p', pageTitle: 'Pictures' });
    expect(assetUseMessage(undefined)).toEqual({ used: false, courseId: '', unitId: '', pageId: '', pageTitle: '' });
  });
});
