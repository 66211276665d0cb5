import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Where the guides for people (docs/guides) live, and their pictures. */
export const GUIDES_DIR = path.resolve(__dirname, '../../docs/guides');
export const GUIDE_SCREENSHOTS_DIR = path.join(GUIDES_DIR, 'screenshots');

/** The guides whose pictures the browser tests take (test/platform/browser/guides.int.test.ts). */
export const ILLUSTRATED_GUIDES = ['admin.md', 'student.md'] as const;

/** The screenshots a guide shows, by name (`![…](screenshots/<name>.png)`), in the order it shows them. */
export function screenshotsNamedIn(guide: string): string[] {
  const markdown = readFileSync(path.join(GUIDES_DIR, guide), 'utf8');
  return [...markdown.matchAll(/!\[[^\]]*\]\(screenshots\/([^)\s]+)\.png\)/g)].map((match) => match[1]!);
}
