/**
 * What the content service promises about page blocks and names, and the
 * gateway checks too: the block kinds, the callout tones, every limit and
 * the embed URL rule, and the one converter between a block as the REST API
 * writes it and as the proto carries it. The content service validates with
 * these; the gateway builds its request shapes from them.
 */
import { contentV1 } from '@testmancer/proto';

/** What a course's units are called (`structure.unitType`). */
export const UNIT_TYPES = ['unit', 'module', 'chapter', 'week', 'lesson'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

export const COURSE_STATUSES = ['draft', 'published', 'archived'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

/** A course's status as the proto carries it. */
export const courseStatusToProto: Readonly<Record<CourseStatus, contentV1.CourseStatus>> = {
  draft: contentV1.CourseStatus.DRAFT,
  published: contentV1.CourseStatus.PUBLISHED,
  archived: contentV1.CourseStatus.ARCHIVED,
};

/** A course's status from the proto; undefined for UNSPECIFIED and for a value this build does not know. */
export function courseStatusFromProto(status: contentV1.CourseStatus): CourseStatus | undefined {
  return COURSE_STATUSES.find((name) => courseStatusToProto[name] === status);
}

/** Length limits, in UTF-16 code units (what `string.length` and zod count), and counts. */
export const LIMITS = {
  courseTitle: 200,
  courseDescription: 5_000,
  unitTitle: 200,
  pageTitle: 200,
  categoryName: 100,
  blocksPerPage: 200,
  markdown: 100_000,
  alt: 500,
  caption: 500,
  url: 2_048,
  /** Keeps one course document far below MongoDB's 16 MiB (300 × 300 ids ≈ 3 MiB). */
  unitsPerCourse: 300,
  pagesPerUnit: 300,
  /** Page ids one BatchGetPages call may ask for. */
  pagesPerBatchGet: 100,
} as const;

export const BLOCK_TYPES = ['markdown', 'image', 'video', 'embed', 'callout'] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

export const CALLOUT_TONES = ['info', 'warning', 'success'] as const;
export type CalloutTone = (typeof CALLOUT_TONES)[number];

/** https only, with a host and without credentials: embeds are shown to every student. */
export function isSafeHttpsUrl(value: string): boolean {
  if (!/^https:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

export const EMBED_URL_RULE = 'must be an https URL with a host';

export type MarkdownBlock = { readonly type: 'markdown'; readonly markdown: string };
export type ImageBlock = { readonly type: 'image'; readonly assetId: string; readonly alt: string };
export type VideoBlock = { readonly type: 'video'; readonly assetId: string; readonly caption?: string };
export type EmbedBlock = { readonly type: 'embed'; readonly url: string };
export type CalloutBlock = { readonly type: 'callout'; readonly tone: CalloutTone; readonly markdown: string };

/** A block as the REST API writes it, and as the content service stores it. */
export type Block = MarkdownBlock | ImageBlock | VideoBlock | EmbedBlock | CalloutBlock;

/**
 * A block as decoded from the proto, not yet validated: a callout whose tone
 * is unset has none, and a block of no kind this code knows is `undefined`,
 * so that validation names the field that is missing.
 */
export type DecodedBlock = Exclude<Block, CalloutBlock> | (Omit<CalloutBlock, 'tone'> & { readonly tone?: CalloutTone }) | undefined;

const { CalloutTone: Tone } = contentV1;
const toneToProto: Record<CalloutTone, contentV1.CalloutTone> = { info: Tone.INFO, warning: Tone.WARNING, success: Tone.SUCCESS };
const toneFromProto = new Map(Object.entries(toneToProto).map(([tone, proto]) => [proto, tone as CalloutTone]));

export function blockToProto(block: Block): contentV1.Block {
  switch (block.type) {
    case 'markdown':
      return { kind: { $case: 'markdown', value: { markdown: block.markdown } } };
    case 'image':
      return { kind: { $case: 'image', value: { assetId: block.assetId, alt: block.alt } } };
    case 'video':
      return { kind: { $case: 'video', value: { assetId: block.assetId, caption: block.caption } } };
    case 'embed':
      return { kind: { $case: 'embed', value: { url: block.url } } };
    case 'callout':
      return { kind: { $case: 'callout', value: { tone: toneToProto[block.tone], markdown: block.markdown } } };
  }
}

export function blockFromProto({ kind }: contentV1.Block): DecodedBlock {
  switch (kind?.$case) {
    case 'markdown':
      return { type: 'markdown', markdown: kind.value.markdown };
    case 'image':
      return { type: 'image', assetId: kind.value.assetId, alt: kind.value.alt };
    case 'video':
      return { type: 'video', assetId: kind.value.assetId, ...(kind.value.caption !== undefined && { caption: kind.value.caption }) };
    case 'embed':
      return { type: 'embed', url: kind.value.url };
    case 'callout': {
      const tone = toneFromProto.get(kind.value.tone);
      return { type: 'callout', markdown: kind.value.markdown, ...(tone && { tone }) };
    }
    default:
      return undefined;
  }
}
