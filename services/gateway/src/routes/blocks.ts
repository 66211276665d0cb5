import { content } from '@testmancer/contracts';
import { z } from 'zod';
import { objectId } from '../http/schemas';

const { CALLOUT_TONES, EMBED_URL_RULE, LIMITS, isSafeHttpsUrl } = content;

// Shape, type and the content contract's limits are checked here so that a bad block is a 400
// naming its field before any call; the content service, the owner of the data, validates the
// blocks it decodes with the same contract.
const markdown = z.string().max(LIMITS.markdown);
const blockShapes = {
  markdown: z.strictObject({ type: z.literal('markdown'), markdown }),
  image: z.strictObject({ type: z.literal('image'), assetId: objectId(), alt: z.string().max(LIMITS.alt) }),
  video: z.strictObject({ type: z.literal('video'), assetId: objectId(), caption: z.string().max(LIMITS.caption).optional() }),
  embed: z.strictObject({ type: z.literal('embed'), url: z.string().max(LIMITS.url).refine(isSafeHttpsUrl, EMBED_URL_RULE) }),
  callout: z.strictObject({ type: z.literal('callout'), tone: z.enum(CALLOUT_TONES), markdown }),
} satisfies Record<content.BlockType, z.ZodType<content.Block>>;

export const blockSchema = z
  .discriminatedUnion('type', [blockShapes.markdown, blockShapes.image, blockShapes.video, blockShapes.embed, blockShapes.callout])
  .openapi('Block', { description: 'A typed content block; `embed` URLs must be https.' });

export type RestBlock = content.Block;

export const blocksSchema = z.array(blockSchema).max(LIMITS.blocksPerPage);

/** The one converter between REST blocks and proto blocks is the contract's. */
export const blockToProto = content.blockToProto;

/** A block of a kind this gateway does not know (a newer service) is left out rather than guessed at. */
export function blockFromProto(block: Parameters<typeof content.blockFromProto>[0]): RestBlock | undefined {
  const decoded = content.blockFromProto(block);
  // Stored blocks were validated by the content service: a callout has its tone.
  return decoded?.type === 'callout' ? { ...decoded, tone: decoded.tone ?? 'info' } : decoded;
}

/** The text a block contributes to the legacy view's module content. */
export function blockMarkdown({ kind }: Parameters<typeof content.blockFromProto>[0]): string | undefined {
  return kind?.$case === 'markdown' || kind?.$case === 'callout' ? kind.value.markdown : undefined;
}
