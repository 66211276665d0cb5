/**
 * `npm run bench:web-bundles`: builds both web interfaces and prints what a
 * browser downloads for each (every file of the build, raw and gzip-compressed,
 * and the first page's total: the HTML, its script and its styles).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(__dirname, '../..');
const APPS = ['admin', 'student'] as const;

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
    .filter((file) => !path.basename(file).startsWith('.'))
    .map((file) => {
      const bytes = readFileSync(file);
      return { file: path.relative(dist, file), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    })
    .sort((a, b) => b.raw - a.raw);
  const total = rows.reduce((sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip }), { raw: 0, gzip: 0 });
  process.stdout.write(`\n${app} (web/dist/${app})\n`);
  for (const row of rows)
    process.stdout.write(`  ${row.file.padEnd(40)} ${kib(row.raw).padStart(11)}  gzip ${kib(row.gzip).padStart(10)}\n`);
  process.stdout.write(
    `  ${'first load (every file above)'.padEnd(40)} ${kib(total.raw).padStart(11)}  gzip ${kib(total.gzip).padStart(10)}\n`,
  );
}
