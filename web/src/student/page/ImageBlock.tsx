import { Text } from '@mantine/core';
import type { Schemas } from '../../shared/api/client';

type Image = Extract<Schemas['Block'], { type: 'image' }>;

/**
 * The picture at the width the screen needs (srcset of the renditions), with its size known
 * before it loads so the text does not jump.
 */
export function ImageBlock({ block, media }: { block: Image; media: Schemas['MediaRef'] | undefined }) {
  if (!media?.url) return <Text fs="italic">An image is missing here{block.alt ? `: ${block.alt}` : ''}.</Text>;
  return (
    <img
      src={media.url}
      srcSet={media.srcset ?? undefined}
      sizes={media.srcset ? '(max-width: 48em) 100vw, 48em' : undefined}
      width={media.width ?? undefined}
      height={media.height ?? undefined}
      alt={block.alt}
      loading="lazy"
      style={{ maxWidth: '100%', height: 'auto', display: 'block' }}
    />
  );
}
