/**
 * Quiz submissions under concurrency: N fresh students send their first
 * attempt at one quiz at the same moment, then four more each, one after
 * the other; for N = 50 and 200 (BENCH_STUDENTS=50,200), p50/p95/p99 of the
 * first attempts and of the later ones, and how many first attempts
 * answered with their gems still pending.
 *
 *   npm run bench:submissions
 */
import { performance } from 'node:perf_hooks';
import { signToken } from '@testmancer/shared';
import { ObjectId } from 'mongodb';
import { benchPlatform, json } from './fixture';

const counts = (process.env.BENCH_STUDENTS ?? '50,200').split(',').map(Number);
const LATER_ATTEMPTS = 4;

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!.toFixed(0);
  return `p50 ${at(0.5)} ms  p95 ${at(0.95)} ms  p99 ${at(0.99)} ms`;
}

async function submit(url: string, token: string): Promise<{ ms: number; status: number; gemsStatus?: string }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ answers: [] }),
  });
  const body = (await response.json().catch(() => ({}))) as { gemsStatus?: string };
  return { ms: performance.now() - started, status: response.status, ...(body.gemsStatus ? { gemsStatus: body.gemsStatus } : {}) };
}

async function main(): Promise<void> {
  const platform = await benchPlatform();
  try {
    const base = platform.gatewayUrl;
    const admin = await signToken({ sub: new ObjectId().toHexString(), role: 'admin' });
    const category = await json(`${base}/api/categories`, admin, 'POST', { name: `bench ${Date.now()}` });
    const course = await json(`${base}/api/courses`, admin, 'POST', { title: 'Submissions', categoryId: category.id, structure: { unitType: 'unit' } });
    const unit = await json(`${base}/api/courses/${course.id}/units`, admin, 'POST', { title: 'Unit' });
    await json(`${base}/api/courses/${course.id}/units/${unit.id}/pages`, admin, 'POST', { title: 'Page', blocks: [{ type: 'markdown', markdown: 'x' }] });
    await json(`${base}/api/courses/${course.id}/publish`, admin, 'POST');
    process.stdout.write('| students | first attempts | later attempts | gems pending at answer | not 201 |\n|---|---|---|---|---|\n');
    for (const n of counts) {
      const quiz = await json(`${base}/api/quizzes`, admin, 'POST', {
        courseId: course.id,
        trigger: 'unit',
        moduleId: unit.id,
        title: `Quiz for ${n}`,
        gemReward: 10,
        questions: [{ type: 'single', prompt: '?', options: ['a', 'b'], answer: 1 }],
      });
      const url = `${base}/api/quizzes/${quiz.id}/attempts`;
      const tokens = await Promise.all(Array.from({ length: n }, () => signToken({ sub: new ObjectId().toHexString(), role: 'student' })));
      const first = await Promise.all(tokens.map((token) => submit(url, token)));
      const later = (
        await Promise.all(
          tokens.map(async (token) => {
            const mine = [];
            for (let i = 0; i < LATER_ATTEMPTS; i += 1) mine.push(await submit(url, token));
            return mine;
          }),
        )
      ).flat();
      const failed = [...first, ...later].filter((r) => r.status !== 201).length;
      const pending = first.filter((r) => r.gemsStatus === 'pending').length;
      process.stdout.write(`| ${n} | ${percentiles(first.map((r) => r.ms))} | ${percentiles(later.map((r) => r.ms))} | ${pending} of ${n} | ${failed} |\n`);
    }
  } finally {
    await platform.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
