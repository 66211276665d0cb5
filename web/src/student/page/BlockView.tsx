import type { Schemas } from '../../shared/api/client';
import { ContentMarkdown } from '../common/ContentMarkdown';
import { CalloutBlock } from './CalloutBlock';
import { EmbedBlock } from './EmbedBlock';
import { ImageBlock } from './ImageBlock';
import { VideoBlock } from './VideoBlock';

/** One content block of a page; images and videos find their file among the page's media refs. */
export function BlockView({ block, media }: { block: Schemas['Block']; media: readonly Schemas['MediaRef'][] }) {
  switch (block.type) {
    case 'markdown':
      return <ContentMarkdown>{block.markdown}</ContentMarkdown>;
    case 'image':
      return <ImageBlock block={block} media={media.find((ref) => ref.assetId === block.assetId)} />;
    case 'video':
      return <VideoBlock block={block} media={media.find((ref) => ref.assetId === block.assetId)} />;
    case 'embed':
      return <EmbedBlock block={block} />;
    case 'callout':
      return <CalloutBlock block={block} />;
  }
}
