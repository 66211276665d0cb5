/**
 * A page's content: an ordered list of typed blocks. Validation reports every
 * problem at once, each with the path the client sent (`blocks/2/url`).
 */
import { z } from 'zod';
import type { FieldIssue } from '@testmancer/shared';
import { invalid } from './errors';
import { CALLOUT_TONES, type Block } from './types';
import { LIMITS, objectIdSchema, safeParse, toFieldIssues } from './validation';

/** https only, with a host and without credentials: embeds are shown to every student. */
function isSafeHttpsUrl(value: string): boolean {
  if (!/^https:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

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
    url: z.string().trim().max(LIMITS.url).refine(isSafeHttpsUrl, 'must be an https URL with a host'),
  }),
  z.strictObject({ type: z.literal('callout'), tone: z.enum(CALLOUT_TONES), markdown }),
]);

export type BlocksResult = { ok: true; blocks: Block[] } | { ok: false; issues: FieldIssue[] };

/**
 * The blocks normalized (alt, caption and url trimmed; asset ids lower-cased;
 * markdown kept as sent), or every problem found. `root` is the field the
 * blocks came in.
 */
export function parseBlocks(input: unknown, root = 'blocks'): BlocksResult {
  const parsed = safeParse(z.array(blockSchema), input);
  const issues = parsed.success ? [] : toFieldIssues(parsed.error.issues, [root]);
  // zod skips an array's length check once an item failed: count here so that every problem is reported.
  if (Array.isArray(input) && input.length > LIMITS.blocksPerPage) {
    issues.unshift({ path: root, message: `must have at most ${String(LIMITS.blocksPerPage)} blocks` });
  }
  return parsed.success && issues.length === 0 ? { ok: true, blocks: parsed.data } : { ok: false, issues };
}

export function validateBlocks(input: unknown, root = 'blocks'): Block[] {
  const result = parseBlocks(input, root);
  if (!result.ok) throw invalid('invalid blocks', result.issues);
  return result.blocks;
}
