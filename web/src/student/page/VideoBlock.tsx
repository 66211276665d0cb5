import { Text } from '@mantine/core';
import type { Schemas } from '../../shared/api/client';

type Video = Extract<Schemas['Block'], { type: 'video' }>;

export function VideoBlock({ block, media }: { block: Video; media: Schemas['MediaRef'] | undefined }) {
  if (!media?.url) return <Text fs="italic">A video is missing here{block.caption ? `: ${block.caption}` : ''}.</Text>;
  return (
    <figure style={{ margin: 0 }}>
      <video
        controls
        preload="metadata"
        src={media.url}
        width={media.width ?? undefined}
        height={media.height ?? undefined}
        aria-label={block.caption || 'Video'}
        style={{ maxWidth: '100%', height: 'auto', display: 'block' }}
      >
        <a href={media.url}>Download the video</a>
      </video>
      {block.caption && <Text component="figcaption">{block.caption}</Text>}
    </figure>
  );
}
