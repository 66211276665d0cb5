import { Container, Typography } from '@mantine/core';
import type { ComponentPropsWithoutRef } from 'react';
import ReactMarkdown, { defaultUrlTransform } from 'react-markdown';

/** Screenshots by the address the guide gives them (`screenshots/<name>.png`): Vite's URL of each, from `import.meta.glob`. */
export type GuideImages = Record<string, string>;

/** `import.meta.glob`'s keys are paths from the importing module; the guide names a picture by its folder and file only. */
export function imagesByGuidePath(globbed: Record<string, string>): GuideImages {
  return Object.fromEntries(Object.entries(globbed).map(([file, url]) => [`screenshots/${file.split('/').pop()!}`, url]));
}

/**
 * A guide of docs/guides, as the repository shows it, inside the interface it
 * describes: its screenshots are the interface's own assets. A link to another
 * Markdown file of the repository has no page here, so it shows as its text.
 */
export function GuideScreen({ markdown, images }: { markdown: string; images: GuideImages }) {
  return (
    <Container size="md" px={0}>
      <Typography>
        <ReactMarkdown
          urlTransform={(url) => images[url] ?? defaultUrlTransform(url)}
          components={{
            img: ({ node: _node, ...props }: ComponentPropsWithoutRef<'img'> & { node?: unknown }) => (
              <img {...props} loading="lazy" style={{ maxWidth: '100%', border: '1px solid var(--mantine-color-gray-4)' }} />
            ),
            a: ({ node: _node, href, children, ...props }: ComponentPropsWithoutRef<'a'> & { node?: unknown }) =>
              href && /^(?!https?:)[^#]*\.md(#.*)?$/.test(href) ? (
                <span>{children}</span>
              ) : (
                <a href={href} {...props}>
                  {children}
                </a>
              ),
          }}
        >
          {markdown}
        </ReactMarkdown>
      </Typography>
    </Container>
  );
}
