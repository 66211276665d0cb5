import { contentV1 } from '@testmancer/proto';
import { z } from 'zod';
import { objectId } from '../http/schemas';

const { CalloutTone } = contentV1;

const TONES = ['info', 'warning', 'success'] as const;
type Tone = (typeof TONES)[number];
const toneToProto: Record<Tone, contentV1.CalloutTone> = { info: CalloutTone.INFO, warning: CalloutTone.WARNING, success: CalloutTone.SUCCESS };
const toneFromProto = new Map(Object.entries(toneToProto).map(([tone, proto]) => [proto, tone as Tone]));

// Shape and type are checked here so that a bad block is a 400 naming its field; the content
// service applies the content rules (lengths, URL safety) once more, as the owner of the data.
const markdown = z.string().max(100_000);
export const blockSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('markdown'), markdown }),
    z.strictObject({ type: z.literal('image'), assetId: objectId(), alt: z.string().max(500) }),
    z.strictObject({ type: z.literal('video'), assetId: objectId(), caption: z.string().max(500).optional() }),
    z.strictObject({ type: z.literal('embed'), url: z.string().max(2_048).regex(/^https:\/\/\S+$/i, 'must be an https URL') }),
    z.strictObject({ type: z.literal('callout'), tone: z.enum(TONES), markdown }),
  ])
  .openapi('Block', { description: 'A typed content block; `embed` URLs must be https.' });

export type RestBlock = z.infer<typeof blockSchema>;

export const blocksSchema = z.array(blockSchema).max(200);

export function blockToProto(block: RestBlock): contentV1.Block {
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

/** A block of a kind this gateway does not know (a newer service) is left out rather than guessed at. */
export function blockFromProto({ kind }: contentV1.Block): RestBlock | undefined {
  switch (kind?.$case) {
    case 'markdown':
      return { type: 'markdown', markdown: kind.value.markdown };
    case 'image':
      return { type: 'image', assetId: kind.value.assetId, alt: kind.value.alt };
    case 'video':
      return { type: 'video', assetId: kind.value.assetId, ...(kind.value.caption !== undefined ? { caption: kind.value.caption } : {}) };
    case 'embed':
      return { type: 'embed', url: kind.value.url };
    case 'callout':
      return { type: 'callout', tone: toneFromProto.get(kind.value.tone) ?? 'info', markdown: kind.value.markdown };
    default:
      return undefined;
  }
}

/** The text a block contributes to the legacy view's module content. */
export function blockMarkdown({ kind }: contentV1.Block): string | undefined {
  return kind?.$case === 'markdown' || kind?.$case === 'callout' ? kind.value.markdown : undefined;
}
