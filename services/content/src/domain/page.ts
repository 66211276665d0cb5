/**
 * A page's own document: its title and blocks. Where the page stands (its
 * unit and `pageOrder`) is the course's business, not the page's.
 */
import type { FieldIssue } from '@testmancer/shared';
import { parseBlocks } from './blocks';
import { invalid } from './errors';
import type { Block, PageState } from './types';
import { LIMITS, safeParse, titleSchema, toFieldIssues } from './validation';

export interface NewPage {
  id: string;
  courseId: string;
  unitId: string;
  title: string;
  blocks: unknown;
}

export interface PagePatch {
  title?: string;
  blocks?: unknown;
}

export function createPage(input: NewPage): PageState {
  const { title, blocks } = validatePage(input.title, input.blocks);
  return { id: input.id, courseId: input.courseId, unitId: input.unitId, title, blocks, version: 1 };
}

/** Bumps the version by one, or returns the page itself when nothing changes. */
export function updatePage(page: PageState, patch: PagePatch): PageState {
  const { title, blocks } = validatePage(patch.title ?? page.title, patch.blocks ?? page.blocks);
  const unchanged = title === page.title && JSON.stringify(blocks) === JSON.stringify(page.blocks);
  return unchanged ? page : { ...page, title, blocks, version: page.version + 1 };
}

/** Title and blocks together, so that one answer lists every problem. */
function validatePage(title: unknown, blocks: unknown): { title: string; blocks: readonly Block[] } {
  const parsedTitle = safeParse(titleSchema(LIMITS.pageTitle), title);
  const parsedBlocks = parseBlocks(blocks);
  const issues: FieldIssue[] = [
    ...(parsedTitle.success ? [] : toFieldIssues(parsedTitle.error.issues, ['title'])),
    ...(parsedBlocks.ok ? [] : parsedBlocks.issues),
  ];
  if (!parsedTitle.success || !parsedBlocks.ok) throw invalid('invalid page', issues);
  return { title: parsedTitle.data, blocks: parsedBlocks.blocks };
}
