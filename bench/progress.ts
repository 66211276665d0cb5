/**
 * Page marks (`POST /api/courses/:courseId/progress`), as a student walking a
 * course sends them: one published course of BENCH_UNITS × BENCH_PAGES pages
 * (2 × 10).
 *
 * - At once: N fresh students (BENCH_STUDENTS=50,200) each mark every page,
 *   one after the other, all students at the same time: p50/p95/p99.
 * - One at a time: BENCH_SEQUENTIAL students (20), one after the other, mark
 *   every page (new marks), then every page again (already marked): latency
 *   p50/p95 and the database round trips per mark, all services together, by
 *   command (the local database's proxy counts every command), each counted
 *   from just before its request to just after its answer.
 *
 *   npm run bench:progress
 */
import { performance } from 'node:perf_hooks';
import { signToken } from '@testmancer/shared';
import { ObjectId } from 'mongodb';
import { addCommands, benchPlatform, commandsBetween, json, percentiles, perOperation, publishedCourse, runBenchmark } from './fixture';

const counts = (process.env.BENCH_STUDENTS ?? '50,200').split(',').map(Number);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? '20');
const UNITS = Number(process.env.BENCH_UNITS ?? '2');
const PAGES = Number(process.env.BENCH_PAGES ?? '10');

interface Mark {
  unitId: string;
  pageOrder: number;
}

async function mark(url: string, token: string, page: Mark): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(page),
  });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

const students = (n: number) =>
  Promise.all(Array.from({ length: n }, () => signToken({ sub: new ObjectId().toHexString(), role: 'student' })));

async function main(): Promise<void> {
  const platform = await benchPlatform();
  try {
    const base = platform.gatewayUrl;
    const admin = await signToken({ sub: new ObjectId().toHexString(), role: 'admin' });
    const courseId = await publishedCourse(base, admin, UNITS, PAGES);
    const units = (await json(`${base}/api/courses/${courseId}`, admin)).units as { id: string }[];
    const pages: Mark[] = units.flatMap((unit) => Array.from({ length: PAGES }, (_, i) => ({ unitId: unit.id, pageOrder: i + 1 })));
    const url = `${base}/api/courses/${courseId}/progress`;

    const rows: string[] = [];
    for (const n of counts) {
      const tokens = await students(n);
      const results = (
        await Promise.all(
          tokens.map(async (token) => {
            const mine = [];
            for (const page of pages) mine.push(await mark(url, token, page));
            return mine;
          }),
        )
      ).flat();
      const failed = results.filter((r) => r.status !== 204).length;
      rows.push(`| ${String(n)} at once | ${percentiles(results.map((r) => r.ms))} | ${String(failed)} |`);
    }

    const tokens = await students(SEQUENTIAL);
    const measured = { new: { ms: [] as number[], commands: {} }, again: { ms: [] as number[], commands: {} } };
    let failed = 0;
    for (const pass of [measured.new, measured.again]) {
      for (const token of tokens) {
        for (const page of pages) {
          const before = platform.commandStats() ?? {};
          const result = await mark(url, token, page);
          addCommands(pass.commands, commandsBetween(before, platform.commandStats() ?? {}));
          pass.ms.push(result.ms);
          if (result.status !== 204) failed += 1;
        }
      }
    }
    const marks = SEQUENTIAL * pages.length;
    rows.push(`| ${String(SEQUENTIAL)} one at a time, new marks | ${percentiles(measured.new.ms)} | ${String(failed)} |`);
    rows.push(`| ${String(SEQUENTIAL)} one at a time, marked already | ${percentiles(measured.again.ms)} | |`);
    process.stdout.write(
      [
        `Page marks, ${String(pages.length)} pages per student:`,
        '',
        '| students | latency | not 204 |',
        '|---|---|---|',
        ...rows,
        '',
        `Database round trips per mark, all services, by command (${String(marks)} marks one at a time):`,
        '',
        '| mark | round trips |',
        '|---|---|',
        `| a page not marked yet | ${perOperation(measured.new.commands, marks)} |`,
        `| a page marked already | ${perOperation(measured.again.commands, marks)} |`,
        '',
      ].join('\n'),
    );
  } finally {
    await platform.stop();
  }
}

runBenchmark(main);
