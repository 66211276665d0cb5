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
import type { AssetFacts, Block, MediaKind, MediaRef, PageState } from './types';
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
 * Blocks that do not change stay the page's own (the same array), so that
 * what they use need not be worked out again.
 */
export function updatePage<P extends PageState>(page: P, patch: PagePatch): P {
  const { title, blocks } = validatePage(patch.title ?? page.title, patch.blocks ?? page.blocks);
  const sameBlocks = JSON.stringify(blocks) === JSON.stringify(page.blocks);
  if (title === page.title && sameBlocks) return page;
  return { ...page, title, blocks: sameBlocks ? page.blocks : blocks };
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

/** An image or video block: the asset it uses and the kind of asset it needs. */
interface AssetUse {
  readonly index: number;
  readonly assetId: string;
  readonly kind: 'image' | 'video';
}

const assetUses = (blocks: readonly Block[]): AssetUse[] =>
  blocks.flatMap((block, index) =>
    block.type === 'image' || block.type === 'video' ? [{ index, assetId: block.assetId, kind: block.type }] : [],
  );

/** The asset refs among `media` by asset id, the first of each (legacy media known only by URL has no id). */
function byAssetId(media: readonly MediaRef[]): Map<string, MediaRef> {
  const refs = new Map<string, MediaRef>();
  for (const ref of media) if (ref.assetId !== '' && !refs.has(ref.assetId)) refs.set(ref.assetId, ref);
  return refs;
}

/**
 * The assets to ask the media service about before `blocks` are written:
 * every asset id an image or video block uses that `carried` (the media the
 * page has now) does not hold, once each, in block order. An asset the page
 * already carries is not asked about again: pages written before assets were
 * checked keep working, and an edit that adds no asset makes no lookup.
 */
export function assetsToResolve(blocks: readonly Block[], carried: readonly MediaRef[] = []): string[] {
  const own = byAssetId(carried);
  return [...new Set(assetUses(blocks).map((use) => use.assetId))].filter((id) => !own.has(id));
}

const KIND_NAMES: Record<MediaKind, string> = { image: 'an image', video: 'a video', raw: 'a raw file' };

const kindIssue = (actual: MediaKind, wanted: MediaKind) => `the asset is ${KIND_NAMES[actual]}, not ${KIND_NAMES[wanted]}`;

/** What the page keeps of an asset: what the media service said of it. */
const refOf = (assetId: string, facts: AssetFacts): MediaRef => ({
  assetId,
  url: facts.url,
  kind: facts.kind,
  providerId: facts.providerId,
  ...(facts.width !== undefined && { width: facts.width }),
  ...(facts.height !== undefined && { height: facts.height }),
  renditions: facts.renditions.map(({ width, url }) => ({ width, url })),
  mediaType: facts.mediaType,
});

export interface PageMediaInput {
  /** The page's course: a page uses only its own course's assets. */
  courseId: string;
  blocks: readonly Block[];
  /** The media service's answers for the assets `assetsToResolve` named: `undefined` for one it has no ready asset of. */
  found?: ReadonlyMap<string, AssetFacts | undefined>;
  /** The page before this write; none for a new page. */
  previous?: { blocks: readonly Block[]; media: readonly MediaRef[] };
  /**
   * The asset refs the page already has, taken as they are and not checked
   * against the media service again: `previous.media` unless told otherwise.
   */
  carried?: readonly MediaRef[];
}

/**
 * What a page uses: the assets of its image and video blocks, each once in
 * block order, then whatever `previous` carried that its blocks did not
 * explain (media brought over from legacy lessons), so that replacing the
 * blocks never drops media nothing else records.
 *
 * A block's asset is the page's own (`carried`), or one of `found` that is
 * ready, of the page's course and of the block's kind. Every block that
 * breaks this is one issue (`blocks/2/assetId`), all of them in one
 * `invalid` error.
 */
export function pageMedia({ courseId, blocks, found = new Map(), previous, carried = previous?.media ?? [] }: PageMediaInput): MediaRef[] {
  const own = byAssetId(carried);
  const refs = new Map<string, MediaRef>();
  const issues: FieldIssue[] = [];
  const refuse = (index: number, message: string) => issues.push({ path: `blocks/${String(index)}/assetId`, message });
  for (const { index, assetId, kind } of assetUses(blocks)) {
    const ref = own.get(assetId);
    const facts = found.get(assetId);
    if (ref) {
      if (ref.kind !== kind) refuse(index, kindIssue(ref.kind, kind));
      else if (!refs.has(assetId)) refs.set(assetId, ref);
    } else if (!facts) refuse(index, 'no such media asset');
    else if (facts.courseId !== courseId) refuse(index, 'the asset belongs to another course');
    else if (facts.kind !== kind) refuse(index, kindIssue(facts.kind, kind));
    else if (!refs.has(assetId)) refs.set(assetId, refOf(assetId, facts));
  }
  if (issues.length > 0) throw invalid('the page uses media it may not', issues);
  if (!previous) return [...refs.values()];
  const usedBefore = new Set(assetUses(previous.blocks).map((use) => `${use.kind}:${use.assetId}`));
  const carriedOver = previous.media.filter(
    (ref) => ref.assetId === '' || (!usedBefore.has(`${ref.kind}:${ref.assetId}`) && !refs.has(ref.assetId)),
  );
  return [...refs.values(), ...carriedOver];
}
