/**
 * A page's own document: its title and blocks. Where the page stands (its
 * unit and `pageOrder`) is the course's business, not the page's.
 *
 * Versions are the store's to give: each is the next number of the course's
 * page counter (see `PageState.version`), which only the store can read.
 */
import type { FieldIssue } from '@testmancer/shared';
import { parseBlocks, type BlockCandidate } from './blocks';
import { invalid, stale } from './errors';
import type { Block, MediaRef, PageState } from './types';
import { LIMITS, safeParse, titleSchema, toFieldIssues } from './validation';

export interface NewPage {
  id: string;
  courseId: string;
  unitId: string;
  title: string;
  blocks: readonly BlockCandidate[];
}

export interface PagePatch {
  title?: string;
  blocks?: readonly BlockCandidate[];
}

/** A valid new page, still without its first version. */
export function createPage(input: NewPage): Omit<PageState, 'version'> {
  const { title, blocks } = validatePage(input.title, input.blocks);
  return { id: input.id, courseId: input.courseId, unitId: input.unitId, title, blocks };
}

/**
 * The page with `patch` applied, or the page itself when nothing changes
 * (then nothing is written). A changed page gets its new version when stored.
 */
export function updatePage<P extends PageState>(page: P, patch: PagePatch): P {
  const { title, blocks } = validatePage(patch.title ?? page.title, patch.blocks ?? page.blocks);
  const unchanged = title === page.title && JSON.stringify(blocks) === JSON.stringify(page.blocks);
  return unchanged ? page : { ...page, title, blocks };
}

export function checkPageVersion(page: PageState, expectedVersion?: number): void {
  if (expectedVersion !== undefined && expectedVersion !== page.version) throw stale('page', page.version);
}

/** Title and blocks together, so that one answer lists every problem. */
function validatePage(title: unknown, blocks: readonly BlockCandidate[]): { title: string; blocks: readonly Block[] } {
  const parsedTitle = safeParse(titleSchema(LIMITS.pageTitle), title);
  const parsedBlocks = parseBlocks(blocks);
  const issues: FieldIssue[] = [
    ...(parsedTitle.success ? [] : toFieldIssues(parsedTitle.error.issues, ['title'])),
    ...(parsedBlocks.ok ? [] : parsedBlocks.issues),
  ];
  if (!parsedTitle.success || !parsedBlocks.ok) throw invalid('invalid page', issues);
  return { title: parsedTitle.data, blocks: parsedBlocks.blocks };
}

/** The assets a page's image and video blocks use, each once, in block order. */
function blockMedia(blocks: readonly Block[]): MediaRef[] {
  const media = new Map<string, MediaRef>();
  for (const block of blocks) {
    if ((block.type === 'image' || block.type === 'video') && !media.has(block.assetId)) {
      media.set(block.assetId, { assetId: block.assetId, url: '', kind: block.type, providerId: '' });
    }
  }
  return [...media.values()];
}

const sameMedia = (a: MediaRef, b: MediaRef) => a.assetId === b.assetId && a.kind === b.kind && a.url === b.url;

/**
 * What a page uses: its blocks' assets, then whatever `previous` carried that
 * its blocks did not explain (media brought over from legacy lessons), so
 * that replacing the blocks never drops media nothing else records.
 */
export function pageMedia(blocks: readonly Block[], previous?: { blocks: readonly Block[]; media: readonly MediaRef[] }): MediaRef[] {
  const current = blockMedia(blocks);
  if (!previous) return current;
  const explained = blockMedia(previous.blocks);
  const carried = previous.media.filter(
    (ref) => !explained.some((known) => sameMedia(known, ref)) && !current.some((known) => sameMedia(known, ref)),
  );
  return [...current, ...carried];
}
