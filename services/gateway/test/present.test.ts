// The schemas' OpenAPI metadata needs zod extended first, as the app does.
import '../src/http/openapi';
import { contentV1 } from '@testmancer/proto';
import { pageSchema, presentPage } from '../src/routes/present';

const page = (media: contentV1.MediaRef[]): contentV1.Page => ({
  id: '65a000000000000000000020',
  courseId: '65a000000000000000000021',
  unitId: '65a000000000000000000022',
  pageOrder: 1,
  title: 'Pictures',
  blocks: [],
  media,
  version: 3,
  createdAt: undefined,
  updatedAt: undefined,
});

describe("a page's media", () => {
  it('shows size, media type and renditions, and an srcset narrowest first that ends with the full size', () => {
    const presented = presentPage(
      page([
        {
          assetId: '65a0000000000000000000aa',
          url: 'https://media.example/a.png',
          kind: contentV1.MediaKind.IMAGE,
          providerId: 'course/a',
          width: 1600,
          height: 900,
          renditions: [
            { width: 960, url: 'https://media.example/a-960.png' },
            { width: 480, url: 'https://media.example/a-480.png' },
          ],
          mediaType: 'image/png',
        },
      ]),
    );
    expect(presented.media).toEqual([
      {
        assetId: '65a0000000000000000000aa',
        url: 'https://media.example/a.png',
        kind: 'image',
        width: 1600,
        height: 900,
        mediaType: 'image/png',
        renditions: [
          { width: 480, url: 'https://media.example/a-480.png' },
          { width: 960, url: 'https://media.example/a-960.png' },
        ],
        srcset: 'https://media.example/a-480.png 480w, https://media.example/a-960.png 960w, https://media.example/a.png 1600w',
      },
    ]);
    expect(pageSchema.safeParse(presented).success).toBe(true);
  });

  it('leaves the full size out of the srcset when its width is unknown or a rendition already has it', () => {
    const image = (width: number | undefined): contentV1.MediaRef => ({
      assetId: '65a0000000000000000000aa',
      url: 'https://media.example/a.png',
      kind: contentV1.MediaKind.IMAGE,
      providerId: '',
      width,
      renditions: [{ width: 480, url: 'https://media.example/a-480.png' }],
      mediaType: 'image/png',
    });
    expect(presentPage(page([image(undefined), image(480)])).media.map((ref) => ref.srcset)).toEqual([
      'https://media.example/a-480.png 480w',
      'https://media.example/a-480.png 480w',
    ]);
  });

  it('gives null for what is not known: no renditions, legacy media, pages written before assets were checked', () => {
    const presented = presentPage(
      page([
        {
          assetId: '',
          url: 'https://legacy.example/b.mp4',
          kind: contentV1.MediaKind.VIDEO,
          providerId: 'b',
          renditions: [],
          mediaType: '',
        },
        { assetId: '65a0000000000000000000bb', url: '', kind: contentV1.MediaKind.IMAGE, providerId: '', renditions: [], mediaType: '' },
      ]),
    );
    expect(presented.media).toEqual([
      {
        assetId: null,
        url: 'https://legacy.example/b.mp4',
        kind: 'video',
        width: null,
        height: null,
        mediaType: null,
        renditions: [],
        srcset: null,
      },
      {
        assetId: '65a0000000000000000000bb',
        url: null,
        kind: 'image',
        width: null,
        height: null,
        mediaType: null,
        renditions: [],
        srcset: null,
      },
    ]);
    expect(pageSchema.safeParse(presented).success).toBe(true);
  });
});
