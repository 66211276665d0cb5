// What the benchmarks share: a platform of their own on loopback, and a
// published course built through the gateway as an author would.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startPlatform, type Platform } from '@testmancer/local-platform';

export async function json(url: string, token: string, method = 'GET', body?: unknown): Promise<Record<string, any>> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, any>;
}

/** The platform on free loopback ports (or on MONGODB_URI), quiet, with no rate limit in the way; `env` adds to every process's. */
export function benchPlatform(env: Record<string, string> = {}): Promise<Platform> {
  const rootDir = path.resolve(__dirname, '../..');
  return startPlatform({
    rootDir,
    logDir: path.join(rootDir, '.local', 'bench-logs'),
    ...(process.env.MONGODB_URI ? { mongodbUri: process.env.MONGODB_URI } : {}),
    dbName: `bench_${Date.now().toString(36)}`,
    env: { LOG_LEVEL: 'warn', RATE_LIMIT_USER_MAX: '100000000', ...env },
    // PROFILE_DIR=…: a CPU profile of each process, written when the benchmark stops the platform.
    ...(process.env.PROFILE_DIR ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`] } : {}),
  });
}

/** A published course of `units` × `pages` markdown pages; returns its id. */
export async function publishedCourse(base: string, admin: string, units: number, pages: number): Promise<string> {
  const category = await json(`${base}/api/categories`, admin, 'POST', { name: `bench ${Date.now()}` });
  const course = await json(`${base}/api/courses`, admin, 'POST', {
    title: 'Benchmark course',
    categoryId: category.id,
    structure: { unitType: 'unit' },
  });
  for (let u = 1; u <= units; u += 1) {
    const unit = await json(`${base}/api/courses/${course.id}/units`, admin, 'POST', { title: `Unit ${u}` });
    for (let p = 1; p <= pages; p += 1) {
      await json(`${base}/api/courses/${course.id}/units/${unit.id}/pages`, admin, 'POST', {
        title: `Page ${u}.${p}`,
        blocks: [{ type: 'markdown', markdown: `# Page ${u}.${p}\n\n${'Lorem ipsum dolor sit amet. '.repeat(20)}` }],
      });
    }
  }
  await json(`${base}/api/courses/${course.id}/publish`, admin, 'POST');
  return course.id as string;
}

/** Commands of the local database (its proxy's counts by name) between two snapshots. */
export function commandsBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, count] of Object.entries(after)) {
    const made = count - (before[name] ?? 0);
    if (made > 0) delta[name] = made;
  }
  return delta;
}

/** Adds `more` into `into`, by command. */
export function addCommands(into: Record<string, number>, more: Record<string, number>): void {
  for (const [name, count] of Object.entries(more)) into[name] = (into[name] ?? 0) + count;
}

/** `4.00 (find 1.00, insert 2.00, update 1.00)`: round trips per operation, in all and by command. */
export function perOperation(commands: Record<string, number>, operations: number): string {
  const names = Object.keys(commands).sort();
  const total = names.reduce((sum, name) => sum + commands[name]!, 0);
  const each = (n: number) => (n / operations).toFixed(2);
  return `${each(total)} (${names.map((name) => `${name} ${each(commands[name]!)}`).join(', ') || 'none'})`;
}

export function percentiles(samples: number[], quantiles: readonly number[] = [0.5, 0.95, 0.99]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!.toFixed(0);
  return quantiles.map((q) => `p${String(Math.round(q * 100))} ${at(q)} ms`).join('  ');
}

/** Runs a benchmark's main; a failure is printed with its stack and ends the process with status 1. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds a process has used (user + system). */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** CPU seconds the whole machine has used (all cores, idle and iowait excluded). */
export function machineCpuSeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const busy = ticks.reduce((total, value, index) => (index === 3 || index === 4 ? total : total + value), 0);
  return busy / CLOCK_TICKS_PER_SECOND;
}
