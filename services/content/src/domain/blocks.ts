/**
 * A page's content: an ordered list of typed blocks. Validation reports every
 * problem at once, each with the path the client sent (`blocks/2/url`).
 */
import { z } from 'zod';
import type { FieldIssue } from '@testmancer/shared';
import { invalid } from './errors';
import { content } from '@testmancer/contracts';
import { objectIdSchema, safeParse, toFieldIssues } from './validation';

/** A block decoded from a request, still to be validated. */
export type BlockCandidate = content.DecodedBlock;

const { CALLOUT_TONES, EMBED_URL_RULE, isSafeHttpsUrl, LIMITS } = content;

const markdown = z.string().max(LIMITS.markdown);

const blockSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('markdown'), markdown }),
  z.strictObject({ type: z.literal('image'), assetId: objectIdSchema, alt: z.string().trim().max(LIMITS.alt) }),
  z.strictObject({
    type: z.literal('video'),
    assetId: objectIdSchema,
    caption: z.string().trim().max(LIMITS.caption).optional(),
  }),
  z.strictObject({
    type: z.literal('embed'),
    url: z.string().trim().max(LIMITS.url).refine(isSafeHttpsUrl, EMBED_URL_RULE),
  }),
  z.strictObject({ type: z.literal('callout'), tone: z.enum(CALLOUT_TONES), markdown }),
]);

export type BlocksResult = { ok: true; blocks: content.Block[] } | { ok: false; issues: FieldIssue[] };

/**
 * The blocks normalized (alt, caption and url trimmed; asset ids lower-cased;
 * markdown kept as sent), or every problem found. `root` is the field the
 * blocks came in.
 */
export function parseBlocks(blocks: readonly BlockCandidate[], root = 'blocks'): BlocksResult {
  // A block of no kind known here has no type: that is the field its issue names.
  const parsed = safeParse(
    z.array(blockSchema),
    blocks.map((block) => block ?? {}),
  );
  const issues = parsed.success ? [] : toFieldIssues(parsed.error.issues, [root]);
  // zod skips an array's length check once an item failed: count here so that every problem is reported.
  if (blocks.length > LIMITS.blocksPerPage) {
    issues.unshift({ path: root, message: `must have at most ${String(LIMITS.blocksPerPage)} blocks` });
  }
  return parsed.success && issues.length === 0 ? { ok: true, blocks: parsed.data } : { ok: false, issues };
}

export function validateBlocks(blocks: readonly BlockCandidate[], root = 'blocks'): content.Block[] {
  const result = parseBlocks(blocks, root);
  if (!result.ok) throw invalid('invalid blocks', result.issues);
  return result.blocks;
}
