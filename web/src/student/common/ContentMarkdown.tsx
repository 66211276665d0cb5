import { Typography } from '@mantine/core';
import { createElement, useMemo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';

type Level = 1 | 2 | 3 | 4 | 5 | 6;

/** Each markdown heading `below` levels down (at most h6). */
function shiftedHeadings(below: number): Components {
  const components: Components = {};
  for (const level of [1, 2, 3, 4, 5, 6] as const) {
    const target = Math.min(6, level + below) as Level;
    components[`h${level}`] = ({ node: _node, ...props }) => createElement(`h${target}`, props);
  }
  return components;
}

/**
 * Authors' markdown (no raw HTML, as the shared Markdown) inside a screen that already has its
 * headings: a "# Heading" in the content sits below them and never makes a second h1.
 */
export function ContentMarkdown({ children, below = 1 }: { children: string; below?: number }) {
  const components = useMemo(() => shiftedHeadings(below), [below]);
  return (
    <Typography>
      <ReactMarkdown components={components}>{children}</ReactMarkdown>
    </Typography>
  );
}
