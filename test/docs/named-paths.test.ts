import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The READMEs and docs/ name files and folders in `code spans` (a service's
 * `src/domain/course.ts`, `web/src/shared/api`, a chart template). Each must
 * exist, as named from the root or as the tail of a path that exists: a doc that points a newcomer at something gone costs them
 * an afternoon. Not checked: package names (`@grpc/grpc-js`), what builds and
 * runs make (git ignores it: `web/dist/`, `.local/…`), what lies outside the
 * repository (`../shared/…`), and the few spans below shaped like paths.
 */
const ROOT = path.resolve(__dirname, '../..');
const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
const docs = tracked.filter((file) => file.endsWith('.md') && !file.startsWith('node_modules/'));
const everyPath = new Set(tracked.flatMap((file) => file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))));

/** Protocol and Secret type names, and the values file an operator writes for their own cluster. */
const NOT_OURS = new Set(['http/protobuf', 'http/json', 'kubernetes.io/tls', 'deploy/production.yaml']);

/** A span that names a path: no spaces, no scheme or port, at least one folder, a word at each step. */
const PATH_LIKE = /^(?!\/)(?![\w+.-]+:)[\w@.*-]+(\/[\w@.*<>-]+)+\/?$/;

function exists(named: string): boolean {
  const wanted = named.replace(/\/$/, '');
  if (everyPath.has(wanted)) return true;
  // `<name>` and `*` stand for any one step: `services/<name>/src`, `migrations/*.ts`.
  const pattern = new RegExp(`(^|/)${wanted.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/<[\w-]+>|\*/g, '[^/]+')}$`);
  for (const known of everyPath) if (pattern.test(known)) return true;
  return false;
}

const isIgnored = (named: string) => {
  try {
    execFileSync('git', ['check-ignore', '-q', named.replace(/<[\w-]+>|\*/g, 'x')], { cwd: ROOT });
    return true;
  } catch {
    return false;
  }
};
/** The docs name what lies beside the repository (the shared contracts) from its root: `../shared/…`. */
const outsideTheRepository = (named: string) => named.startsWith('../');

function namedPaths(markdown: string): string[] {
  const spans = [...markdown.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!.trim());
  return spans.filter(
    (span) => PATH_LIKE.test(span) && !span.startsWith('@') && !NOT_OURS.has(span) && !outsideTheRepository(span) && !isIgnored(span),
  );
}

test.each(docs)('every path %s names exists', (doc) => {
  const missing = namedPaths(readFileSync(path.join(ROOT, doc), 'utf8')).filter((named) => !exists(named));
  expect(missing).toEqual([]);
});
