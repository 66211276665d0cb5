/**
 * `npm run bench:web-bundles`: builds both web interfaces and prints what a
 * browser downloads for each: every file of the build, raw and
 * gzip-compressed; then the first load, which is the page, its script with
 * the chunks it imports and its styles, and the chunks of the screen a
 * signed-in user lands on (each screen is a chunk of its own, fetched when
 * first shown), read from Vite's manifest.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(__dirname, '../..');
const APPS = ['admin', 'student'] as const;
/** The screen at `/` of each interface. */
const LANDING: Record<(typeof APPS)[number], string> = { admin: 'courses/CoursesScreen.tsx', student: 'catalogue/CataloguePage.tsx' };

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

/** The files a chunk needs before it runs: itself, its styles, and those of the chunks it imports, transitively. */
function filesOf(manifest: Record<string, ManifestChunk>, key: string, into = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const css of chunk.css ?? []) into.add(css);
  for (const imported of chunk.imports ?? []) filesOf(manifest, imported, into);
  return into;
}

execFileSync('npm', ['run', '-s', 'build', '-w', '@testmancer/web'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

for (const app of APPS) {
  const dist = path.join(ROOT, 'web', 'dist', app);
  const rows = filesUnder(dist)
    .filter(
      (file) =>
        !path
          .relative(dist, file)
          .split(path.sep)
          .some((part) => part.startsWith('.')),
    )
    .map((file) => {
      const bytes = readFileSync(file);
      return { file: path.relative(dist, file), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    })
    .sort((a, b) => b.raw - a.raw);
  const total = rows.reduce((sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip }), { raw: 0, gzip: 0 });
  process.stdout.write(`\n${app} (web/dist/${app})\n`);
  for (const row of rows)
    process.stdout.write(`  ${row.file.padEnd(40)} ${kib(row.raw).padStart(11)}  gzip ${kib(row.gzip).padStart(10)}\n`);
  process.stdout.write(`  ${'every file above'.padEnd(40)} ${kib(total.raw).padStart(11)}  gzip ${kib(total.gzip).padStart(10)}\n`);

  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entryKey = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
  if (!entryKey) throw new Error(`no entry in the ${app} manifest`);
  const entry = filesOf(manifest, entryKey, new Set(['index.html']));
  const landingKey = Object.keys(manifest).find((key) => key.endsWith(LANDING[app]));
  if (!landingKey) throw new Error(`no chunk of ${LANDING[app]} in the ${app} manifest`);
  const firstLoad = filesOf(manifest, landingKey, new Set(entry));
  const sizeOf = (files: Set<string>) =>
    rows
      .filter((row) => files.has(row.file))
      .reduce((sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip }), { raw: 0, gzip: 0 });
  for (const [label, files] of [
    ['entry (page, script, imports, styles)', entry],
    [`first load (with ${path.basename(LANDING[app], '.tsx')})`, firstLoad],
  ] as const) {
    const size = sizeOf(files);
    process.stdout.write(`  ${label.padEnd(40)} ${kib(size.raw).padStart(11)}  gzip ${kib(size.gzip).padStart(10)}\n`);
  }
}
