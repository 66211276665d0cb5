import { validateBlocks as validateDecoded, type BlockCandidate } from '../../src/domain';
import { deepFreeze, domainError, oid } from './helpers';

const ASSET = oid(0xa55e7);

/**
 * Blocks as a request might decode to, including values the proto cannot
 * carry (extra keys, wrong types): the domain is the last line of defence.
 */
const validateBlocks = (blocks: unknown, root?: string) => validateDecoded(blocks as BlockCandidate[], root);
const NOT_HTTPS = 'must be an https URL with a host';
const embed = (url: string) => [{ type: 'embed', url }];

const valid = deepFreeze([
  { type: 'markdown', markdown: '# Title\n\nText  \n' },
  { type: 'image', assetId: ASSET, alt: 'A diagram' },
  { type: 'video', assetId: ASSET, caption: 'Intro' },
  { type: 'video', assetId: ASSET },
  { type: 'embed', url: 'https://www.youtube.com/embed/x?start=3' },
  { type: 'callout', tone: 'info', markdown: 'Note' },
  { type: 'callout', tone: 'warning', markdown: 'Careful' },
  { type: 'callout', tone: 'success', markdown: 'Done' },
]);

/** The issues validateBlocks reports for `blocks`. */
const issuesOf = (blocks: unknown) => domainError(() => validateBlocks(blocks), 'invalid').issues;

describe('validateBlocks', () => {
  it('accepts every block type as sent', () => {
    expect(validateBlocks(valid)).toEqual(valid);
  });

  it('accepts no blocks, and 200 blocks', () => {
    expect(validateBlocks([])).toEqual([]);
    expect(validateBlocks(Array.from({ length: 200 }, () => ({ type: 'markdown', markdown: 'x' })))).toHaveLength(200);
  });

  it('normalizes: trims alt, caption and url, lower-cases asset ids, keeps markdown as sent', () => {
    expect(
      validateBlocks([
        { type: 'image', assetId: 'ABCDEF0123456789ABCDEF01', alt: ' A ' },
        { type: 'video', assetId: ASSET, caption: ' C ' },
        { type: 'embed', url: ' https://example.com/a ' },
        { type: 'markdown', markdown: '  indented\n' },
      ]),
    ).toEqual([
      { type: 'image', assetId: 'abcdef0123456789abcdef01', alt: 'A' },
      { type: 'video', assetId: ASSET, caption: 'C' },
      { type: 'embed', url: 'https://example.com/a' },
      { type: 'markdown', markdown: '  indented\n' },
    ]);
  });

  it.each([
    ['a block that is not an object', ['x'], [{ path: 'blocks/0', message: 'must be an object' }]],
    ['an unknown type', [{ type: 'quiz' }], [{ path: 'blocks/0/type', message: 'must be one of: markdown, image, video, embed, callout' }]],
    ['no type', [{ markdown: 'x' }], [{ path: 'blocks/0/type', message: 'must be one of: markdown, image, video, embed, callout' }]],
    ['a missing field', [{ type: 'image', assetId: ASSET }], [{ path: 'blocks/0/alt', message: 'is required' }]],
    ['a wrong field type', [{ type: 'markdown', markdown: 42 }], [{ path: 'blocks/0/markdown', message: 'must be a string' }]],
    [
      'an unknown extra field',
      [{ type: 'embed', url: 'https://a.example', html: '<script>', $where: '1' }],
      [
        { path: 'blocks/0/html', message: 'is not an allowed field' },
        { path: 'blocks/0/$where', message: 'is not an allowed field' },
      ],
    ],
    ['an http url', embed('http://a.example'), [{ path: 'blocks/0/url', message: NOT_HTTPS }]],
    ['a javascript url', embed('javascript:alert(1)'), [{ path: 'blocks/0/url', message: NOT_HTTPS }]],
    ['a url without slashes', embed('https:a.example'), [{ path: 'blocks/0/url', message: NOT_HTTPS }]],
    ['a url with credentials', embed('https://u:p@a.example'), [{ path: 'blocks/0/url', message: NOT_HTTPS }]],
    ['not a url', embed('https://'), [{ path: 'blocks/0/url', message: NOT_HTTPS }]],
    [
      'markdown over 100,000 characters',
      [{ type: 'markdown', markdown: 'x'.repeat(100_001) }],
      [{ path: 'blocks/0/markdown', message: 'must be at most 100000 characters' }],
    ],
    [
      'callout markdown over 100,000 characters',
      [{ type: 'callout', tone: 'info', markdown: 'x'.repeat(100_001) }],
      [{ path: 'blocks/0/markdown', message: 'must be at most 100000 characters' }],
    ],
    [
      'alt over 500 characters',
      [{ type: 'image', assetId: ASSET, alt: 'x'.repeat(501) }],
      [{ path: 'blocks/0/alt', message: 'must be at most 500 characters' }],
    ],
    [
      'caption over 500 characters',
      [{ type: 'video', assetId: ASSET, caption: 'x'.repeat(501) }],
      [{ path: 'blocks/0/caption', message: 'must be at most 500 characters' }],
    ],
    [
      'a bad tone',
      [{ type: 'callout', tone: 'danger', markdown: 'x' }],
      [{ path: 'blocks/0/tone', message: 'must be one of: info, warning, success' }],
    ],
    [
      'an asset id that is not 24 hex characters',
      [{ type: 'video', assetId: 'g'.repeat(24) }],
      [{ path: 'blocks/0/assetId', message: 'must be a 24-character hexadecimal id' }],
    ],
    [
      'more than 200 blocks',
      Array.from({ length: 201 }, () => ({ type: 'markdown', markdown: 'x' })),
      [{ path: 'blocks', message: 'must have at most 200 blocks' }],
    ],
  ])('rejects %s with the path of the problem', (_, blocks, issues) => {
    expect(issuesOf(blocks)).toEqual(issues);
  });

  it('reports every problem of every block at once, including too many blocks', () => {
    const blocks = [
      ...valid,
      { type: 'embed', url: 'http://a.example' },
      { type: 'image', alt: 5 },
      ...Array.from({ length: 200 }, () => valid[0]),
    ];
    expect(issuesOf(blocks)).toEqual([
      { path: 'blocks', message: 'must have at most 200 blocks' },
      { path: 'blocks/8/url', message: NOT_HTTPS },
      { path: 'blocks/9/assetId', message: 'is required' },
      { path: 'blocks/9/alt', message: 'must be a string' },
    ]);
  });

  it('puts the paths under the field the blocks came in', () => {
    const error = domainError(() => validateBlocks([{ type: 'x' }], 'content'), 'invalid');
    expect(error.issues[0]?.path).toBe('content/0/type');
  });
});
