import { Anchor, AspectRatio, Stack } from '@mantine/core';
import type { Schemas } from '../../shared/api/client';

type Embed = Extract<Schemas['Block'], { type: 'embed' }>;

const hostOf = (url: string) => {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
};

/** Embedded content from another site, sandboxed, with a title screen readers announce and a link for when it is blocked. */
export function EmbedBlock({ block }: { block: Embed }) {
  const host = hostOf(block.url);
  return (
    <Stack gap={4}>
      <AspectRatio ratio={16 / 9}>
        <iframe
          src={block.url}
          title={`Embedded content from ${host}`}
          loading="lazy"
          sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"
          allow="fullscreen; picture-in-picture"
          referrerPolicy="strict-origin-when-cross-origin"
          style={{ border: 0 }}
        />
      </AspectRatio>
      <Anchor href={block.url} target="_blank" rel="noreferrer noopener" size="sm">
        Open the embedded content on {host}
      </Anchor>
    </Stack>
  );
}
