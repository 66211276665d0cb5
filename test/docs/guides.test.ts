import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GUIDE_SCREENSHOTS_DIR, GUIDES_DIR, ILLUSTRATED_GUIDES, screenshotsNamedIn } from '../support/guides';

/**
 * The guides' pictures are files of the repository, written by the browser
 * walk (test/platform/browser/guides.int.test.ts), which fails when a guide
 * names one it no longer takes. Here, without a browser: each picture a guide
 * names is in the repository, and each picture there is one a guide shows.
 */
const ROOT = path.resolve(__dirname, '../..');

test.each(ILLUSTRATED_GUIDES)('every screenshot %s names is in docs/guides/screenshots', (guide) => {
  const named = screenshotsNamedIn(guide);
  expect(named.length).toBeGreaterThan(0);
  expect(named.filter((name) => !existsSync(path.join(GUIDE_SCREENSHOTS_DIR, `${name}.png`)))).toEqual([]);
  // The interface's guide screen bundles only `<interface>-*.png` (web/src/<interface>/help/).
  expect(named.filter((name) => !name.startsWith(`${guide.replace(/\.md$/, '')}-`))).toEqual([]);
});

test('every screenshot in docs/guides/screenshots is one a guide shows', () => {
  const shown = new Set(ILLUSTRATED_GUIDES.flatMap(screenshotsNamedIn));
  const files = readdirSync(GUIDE_SCREENSHOTS_DIR).map((file) => file.replace(/\.png$/, ''));
  expect(files.filter((name) => !shown.has(name))).toEqual([]);
});

test('each interface has its what’s-new notice: a title, then what changed, naming units in the user’s terms', () => {
  for (const app of ['admin', 'student']) {
    const [title, ...body] = readFileSync(path.join(GUIDES_DIR, 'whats-new', `${app}.md`), 'utf8')
      .trim()
      .split('\n');
    expect(title).toMatch(/^# \S/);
    expect(body.join('\n').trim().length).toBeGreaterThan(0);
    // Units are `{unit}`/`{units}`, said in the user's terms (modules with USE_MODULES_TERMINOLOGY), never a fixed word.
    expect([title, ...body].join('\n')).not.toMatch(/(?<!\{)\b(units?|modules?)\b(?!\})/i);
  }
});

test('the README links every guide', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  for (const guide of ['admin.md', 'student.md', 'troubleshooting.md']) expect(readme).toContain(`(docs/guides/${guide})`);
});
