/**
 * Quiz submissions under concurrency: N fresh students send their first
 * attempt at one quiz at the same moment (right answers: each owes gems),
 * then four more each, one after the other; for N = 50 and 200
 * (BENCH_STUDENTS=50,200), p50/p95/p99 of the first attempts and of the
 * later ones, and how many first attempts answered with their gems still
 * pending; then the database writes one submission makes and the time each
 * waited in the local database's proxy; then the machine's CPU per first
 * attempt by process, and the least time the burst needs on these cores.
 *
 * Then the database round trips of one submission, all services together,
 * by command (the proxy counts every command): BENCH_SEQUENTIAL students
 * (20) one after the other, each counted from just before its request to
 * just after the answer, so that nothing else runs meanwhile; summed and
 * divided; with the legacy bridge on (as `make dev` runs) and, on a platform
 * of its own, off.
 *
 *   npm run bench:submissions
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { signToken } from '@testmancer/shared';
import { ObjectId } from 'mongodb';
import type { WriteTimes } from '@testmancer/db-proxy';
import type { Platform } from '@testmancer/local-platform';
import {
  addCommands,
  benchPlatform,
  commandsBetween,
  json,
  machineCpuSeconds,
  percentiles,
  perOperation,
  processCpuSeconds,
  runBenchmark,
} from './fixture';

const counts = (process.env.BENCH_STUDENTS ?? '50,200').split(',').map(Number);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? '20');
const LATER_ATTEMPTS = 4;

/** The right answer to the bench's one question: every first attempt owes its gems. */
let answers: unknown[] = [];

async function submit(url: string, token: string): Promise<{ ms: number; status: number; gemsStatus?: string }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ answers }),
  });
  const body = (await response.json().catch(() => ({}))) as { gemsStatus?: string };
  return { ms: performance.now() - started, status: response.status, ...(body.gemsStatus ? { gemsStatus: body.gemsStatus } : {}) };
}

type WriteStats = Record<string, WriteTimes>;

/**
 * The writes made between two snapshots of the proxy's figures, per
 * submission: `update 2.0 (queued 12 ms, running 3 ms)` = each submission
 * made two updates, each waited 12 ms for its turn and took 3 ms in FerretDB.
 */
function writesPerSubmission(before: WriteStats, after: WriteStats, submissions: number): string {
  return Object.entries(after)
    .map(([command, times]) => {
      const earlier = before[command] ?? { count: 0, queuedMs: 0, runningMs: 0 };
      const count = times.count - earlier.count;
      if (count === 0) return '';
      const each = (ms: number) => (ms / count).toFixed(1);
      return `${command} ${(count / submissions).toFixed(1)} (queued ${each(times.queuedMs - earlier.queuedMs)} ms, running ${each(times.runningMs - earlier.runningMs)} ms)`;
    })
    .filter(Boolean)
    .join(', ');
}

type CpuSnapshot = Record<string, number>;

/** CPU seconds used so far: by the whole machine, by each platform process, by this one (the clients and the database's proxy). */
function cpuSnapshot(pids: Record<string, number>): CpuSnapshot {
  const bench = process.cpuUsage();
  return {
    machine: machineCpuSeconds(),
    ...Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuSeconds(pid)])),
    'bench (clients, proxy)': (bench.user + bench.system) / 1e6,
  };
}

/**
 * `| 50 | 14.2 | gateway 2.1, quiz 3.0, … | 355 ms |`: the machine's CPU per
 * first attempt between two snapshots, by process (the rest is FerretDB and
 * PostgreSQL), and the time the burst needs at least on this machine's cores
 * if it used nothing else: the floor under its slowest answers.
 */
function cpuRow(n: number, before: CpuSnapshot, after: CpuSnapshot): string {
  const spent = (name: string) => ((after[name]! - before[name]!) * 1000) / n;
  const processes = Object.keys(before).filter((name) => name !== 'machine');
  const named = processes.reduce((sum, name) => sum + spent(name), 0);
  const parts = [
    ...processes.map((name) => `${name} ${spent(name).toFixed(1)}`),
    `database and the rest ${(spent('machine') - named).toFixed(1)}`,
  ];
  const floorMs = (spent('machine') * n) / availableParallelism();
  return `| ${n} | ${spent('machine').toFixed(1)} ms | ${parts.join(', ')} | ${floorMs.toFixed(0)} ms |`;
}

/** Grants are delivered after the answer; their writes belong to the submission too. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

/** A published course with one unit and a page; `newQuiz` adds a quiz whose right answer `answers` then holds. */
async function submissionCourse(platform: Platform): Promise<{ newQuiz: (title: string) => Promise<string> }> {
  const base = platform.gatewayUrl;
  const admin = await signToken({ sub: new ObjectId().toHexString(), role: 'admin' });
  const category = await json(`${base}/api/categories`, admin, 'POST', { name: `bench ${Date.now()}` });
  const course = await json(`${base}/api/courses`, admin, 'POST', {
    title: 'Submissions',
    categoryId: category.id,
    structure: { unitType: 'unit' },
  });
  const unit = await json(`${base}/api/courses/${course.id}/units`, admin, 'POST', { title: 'Unit' });
  await json(`${base}/api/courses/${course.id}/units/${unit.id}/pages`, admin, 'POST', {
    title: 'Page',
    blocks: [{ type: 'markdown', markdown: 'x' }],
  });
  await json(`${base}/api/courses/${course.id}/publish`, admin, 'POST');
  return {
    async newQuiz(title) {
      const quiz = await json(`${base}/api/quizzes`, admin, 'POST', {
        courseId: course.id,
        trigger: 'unit',
        moduleId: unit.id,
        title,
        gemReward: 10,
        questions: [{ type: 'single', prompt: '?', options: ['a', 'b'], answer: 1 }],
      });
      answers = [{ questionId: (quiz.questions as { id: string }[])[0]!.id, selected: 1 }];
      return quiz.id as string;
    },
  };
}

/**
 * The round trips of SEQUENTIAL first attempts and as many later ones, one
 * student at a time: two table rows. Run before any burst: the concurrent
 * runs leave grants to retry and sweeps that would be counted too.
 */
async function roundTrips(platform: Platform, quizId: string, label: string): Promise<{ rows: string[]; notes: string }> {
  const url = `${platform.gatewayUrl}/api/quizzes/${quizId}/attempts`;
  const tokens = await Promise.all(
    Array.from({ length: SEQUENTIAL }, () => signToken({ sub: new ObjectId().toHexString(), role: 'student' })),
  );
  const firstCommands: Record<string, number> = {};
  const laterCommands: Record<string, number> = {};
  const times = { first: [] as number[], later: [] as number[], pending: 0, failed: 0 };
  const measured = async (token: string, commands: Record<string, number>, samples: number[]) => {
    const before = platform.commandStats() ?? {};
    const result = await submit(url, token);
    addCommands(commands, commandsBetween(before, platform.commandStats() ?? {}));
    samples.push(result.ms);
    if (result.status !== 201) times.failed += 1;
    return result;
  };
  for (const token of tokens) {
    if ((await measured(token, firstCommands, times.first)).gemsStatus === 'pending') times.pending += 1;
  }
  for (const token of tokens) await measured(token, laterCommands, times.later);
  return {
    rows: [
      `| first attempt, ${label} | ${perOperation(firstCommands, SEQUENTIAL)} | ${percentiles(times.first, [0.5, 0.95])} |`,
      `| later attempt, ${label} | ${perOperation(laterCommands, SEQUENTIAL)} | ${percentiles(times.later, [0.5, 0.95])} |`,
    ],
    notes: `${label}: gems pending at answer ${String(times.pending)} of ${String(SEQUENTIAL)}; not 201: ${String(times.failed)}`,
  };
}

async function main(): Promise<void> {
  // After the rollout the bridge is off: no read of the monolith's attempts. Measured on a platform of its own.
  const steady = await benchPlatform({ LEGACY_BRIDGE: 'off' });
  let afterRollout;
  try {
    afterRollout = await roundTrips(steady, await (await submissionCourse(steady)).newQuiz('Quiz, one at a time'), 'bridge off');
  } finally {
    await steady.stop();
  }

  const platform = await benchPlatform();
  try {
    const { newQuiz } = await submissionCourse(platform);
    const base = platform.gatewayUrl;
    const rows: string[] = [];
    const writeRows: string[] = [];
    const cpuRows: string[] = [];
    const pids = platform.pids() as Record<string, number>;
    const whileBothLive = await roundTrips(platform, await newQuiz('Quiz, one at a time'), 'bridge on');
    for (const n of counts) {
      const quiz = { id: await newQuiz(`Quiz for ${n}`) };
      const url = `${base}/api/quizzes/${quiz.id}/attempts`;
      const tokens = await Promise.all(Array.from({ length: n }, () => signToken({ sub: new ObjectId().toHexString(), role: 'student' })));
      const beforeFirst = platform.writeStats() ?? {};
      const cpuBefore = cpuSnapshot(pids);
      const first = await Promise.all(tokens.map((token) => submit(url, token)));
      await settle();
      cpuRows.push(cpuRow(n, cpuBefore, cpuSnapshot(pids)));
      const beforeLater = platform.writeStats() ?? {};
      const later = (
        await Promise.all(
          tokens.map(async (token) => {
            const mine = [];
            for (let i = 0; i < LATER_ATTEMPTS; i += 1) mine.push(await submit(url, token));
            return mine;
          }),
        )
      ).flat();
      await settle();
      const afterLater = platform.writeStats() ?? {};
      writeRows.push(
        `| ${n} | ${writesPerSubmission(beforeFirst, beforeLater, n)} | ${writesPerSubmission(beforeLater, afterLater, later.length)} |`,
      );
      const failed = [...first, ...later].filter((r) => r.status !== 201).length;
      const pending = first.filter((r) => r.gemsStatus === 'pending').length;
      rows.push(
        `| ${n} | ${percentiles(first.map((r) => r.ms))} | ${percentiles(later.map((r) => r.ms))} | ${pending} of ${n} | ${failed} |`,
      );
    }

    process.stdout.write(
      [
        '| students | first attempts | later attempts | gems pending at answer | not 201 |',
        '|---|---|---|---|---|',
        ...rows,
        '',
        'Database writes per submission (all services, the grant included), with the time each waited in the proxy and ran in FerretDB:',
        '',
        '| students | first attempt | later attempt |',
        '|---|---|---|',
        ...writeRows,
        '',
        `Machine CPU per first attempt (${String(availableParallelism())} cores; the grant and the 1.5 s after the burst included), by process, and the least time the burst could take on these cores:`,
        '',
        '| students | CPU per first attempt | by process (ms) | floor for the burst |',
        '|---|---|---|---|',
        ...cpuRows,
        '',
        `Database round trips per submission, all services, by command (${String(SEQUENTIAL)} students one after the other; first attempts owe gems), with the legacy bridge on (while both shapes live: each submission also reads the monolith's attempts) and off (after the rollout):`,
        '',
        '| submission | round trips | latency one at a time |',
        '|---|---|---|',
        ...whileBothLive.rows,
        ...afterRollout.rows,
        '',
        whileBothLive.notes,
        afterRollout.notes,
        '',
      ].join('\n'),
    );
  } finally {
    await platform.stop();
  }
}

runBenchmark(main);
