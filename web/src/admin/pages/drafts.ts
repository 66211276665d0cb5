import type { Schemas } from '../../shared/api/client';

export type Block = Schemas['Block'];
export type BlockType = Block['type'];
export type Tone = Extract<Block, { type: 'callout' }>['tone'];

/**
 * A block being edited: the block itself, a key that survives moves (React's
 * identity for it), and for media the address of what was uploaded, to show it.
 */
export type DraftBlock = { key: string; preview?: string } & (
  | Extract<Block, { type: 'markdown' }>
  | Extract<Block, { type: 'image' }>
  | (Extract<Block, { type: 'video' }> & { caption: string })
  | Extract<Block, { type: 'embed' }>
  | Extract<Block, { type: 'callout' }>
);

export const BLOCK_LABELS: Record<BlockType, string> = {
  markdown: 'Text (markdown)',
  image: 'Image',
  video: 'Video',
  embed: 'Embed',
  callout: 'Callout',
};

export const TONES: readonly { value: Tone; label: string }[] = [
  { value: 'info', label: 'Information' },
  { value: 'warning', label: 'Warning' },
  { value: 'success', label: 'Success' },
];

let counter = 0;
const nextKey = () => `block-${String((counter += 1))}`;

export function emptyBlock(type: BlockType): DraftBlock {
  const key = nextKey();
  switch (type) {
    case 'markdown':
      return { key, type, markdown: '' };
    case 'image':
      return { key, type, assetId: '', alt: '' };
    case 'video':
      return { key, type, assetId: '', caption: '' };
    case 'embed':
      return { key, type, url: '' };
    case 'callout':
      return { key, type, tone: 'info', markdown: '' };
  }
}

/** A page's stored blocks as drafts, with the delivery URL of each media block's asset. */
export function draftsOf(page: Schemas['Page']): DraftBlock[] {
  const urlOf = (assetId: string) => page.media.find((media) => media.assetId === assetId)?.url ?? undefined;
  return page.blocks.map((block): DraftBlock => {
    const key = nextKey();
    if (block.type === 'image') return { ...block, key, preview: urlOf(block.assetId) };
    if (block.type === 'video') return { ...block, key, caption: block.caption ?? '', preview: urlOf(block.assetId) };
    return { ...block, key };
  });
}

/** What is sent: the block without the editor's fields; an empty caption is no caption. */
export function blockOf(draft: DraftBlock): Block {
  switch (draft.type) {
    case 'markdown':
      return { type: draft.type, markdown: draft.markdown };
    case 'image':
      return { type: draft.type, assetId: draft.assetId, alt: draft.alt };
    case 'video':
      return { type: draft.type, assetId: draft.assetId, ...(draft.caption.trim() ? { caption: draft.caption } : {}) };
    case 'embed':
      return { type: draft.type, url: draft.url };
    case 'callout':
      return { type: draft.type, tone: draft.tone, markdown: draft.markdown };
  }
}

/** What must be fixed in a block before saving, in words; the gateway checks the rest. */
export function problemOf(draft: DraftBlock): string | undefined {
  if ((draft.type === 'image' || draft.type === 'video') && !draft.assetId) return `Upload the ${draft.type} first.`;
  if (draft.type === 'image' && !draft.alt.trim()) return 'Describe the image in its alternative text.';
  if (draft.type === 'embed' && !/^https:\/\/[^/\s]+/i.test(draft.url))
    return 'The embed address must start with https:// (http:// and other addresses are refused).';
  return undefined;
}

/** The problems of every block, each after the block it is in ("Block 2: …"). */
export function problemsOf(drafts: readonly DraftBlock[]): string[] {
  return drafts.flatMap((draft, index) => {
    const problem = problemOf(draft);
    return problem ? [`Block ${String(index + 1)}: ${problem}`] : [];
  });
}
