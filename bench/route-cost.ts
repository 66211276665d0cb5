/**
 * What each request of the student journey costs in CPU, per process: every
 * route of the journey is driven alone (closed loop, BENCH_CONNECTIONS=20,
 * BENCH_SECONDS=4 each), and the CPU time the gateway and each service spent
 * meanwhile (from /proc) is divided by the requests answered. The machine's
 * whole CPU (the database and the load generator included) is the last
 * column. This is the table to read before deciding what to make faster.
 *
 *   npm run bench:route-cost
 */
import { signToken } from '@testmancer/shared';
import autocannon from 'autocannon';
import { ObjectId } from 'mongodb';
import { benchPlatform, json, machineCpuSeconds, processCpuSeconds, publishedCourse, runBenchmark } from './fixture';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
interface Route {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Answered with an error on purpose (the cost of the stack up to a 404). */
  refused?: true;
}

async function main(): Promise<void> {
  const platform = await benchPlatform();
  try {
    const base = platform.gatewayUrl;
    const admin = await signToken({ sub: new ObjectId().toHexString(), role: 'admin' });
    const student = await signToken({ sub: new ObjectId().toHexString(), role: 'student' });
    const courseId = await publishedCourse(base, admin, 5, 4);
    const course = await json(`${base}/api/courses/${courseId}`, admin);
    const unitId = course.units[0].id as string;
    const quiz = await json(`${base}/api/quizzes`, admin, 'POST', {
      courseId,
      trigger: 'unit',
      moduleId: unitId,
      title: 'Route cost quiz',
      gemReward: 10,
      questions: [{ type: 'single', prompt: '?', options: ['a', 'b'], answer: 1 }],
    });
    const questionId = (await json(`${base}/api/quizzes/${quiz.id}`, student)).questions[0].id as string;
    // The first two rows are the fixed cost of the HTTP stack: no service call, then authentication and the rate limit too.
    const routes: Route[] = [
      { name: 'GET /health', method: 'GET', path: '/health' },
      { name: 'unknown route (404)', method: 'GET', path: '/api/no-such-thing', refused: true },
      { name: 'list courses', method: 'GET', path: '/api/courses?status=published&limit=20' },
      { name: 'open course', method: 'GET', path: `/api/courses/${courseId}` },
      { name: 'first item (next)', method: 'GET', path: `/api/courses/${courseId}/next` },
      { name: 'read page', method: 'GET', path: `/api/courses/${courseId}/units/${unitId}/pages/2` },
      { name: 'mark page viewed', method: 'POST', path: `/api/courses/${courseId}/progress`, body: { unitId, pageOrder: 2 } },
      { name: 'next after page', method: 'GET', path: `/api/courses/${courseId}/next?unitId=${unitId}&pageOrder=2` },
      { name: 'open quiz', method: 'GET', path: `/api/quizzes/${quiz.id}` },
      { name: 'read gems', method: 'GET', path: '/api/gems/me' },
      { name: 'read progress', method: 'GET', path: `/api/courses/${courseId}/progress` },
      // Last: the hundreds of attempts it leaves would weigh on every read of this student's progress.
      {
        name: 'submit attempt (later)',
        method: 'POST',
        path: `/api/quizzes/${quiz.id}/attempts`,
        body: { answers: [{ questionId, selected: 1 }] },
      },
    ];

    const pids = platform.pids();
    const names = Object.keys(pids);
    process.stdout.write(
      `CPU per request (µs), ${connections} connections, ${seconds} s per route\n\n` +
        `| route | req/s | p50 ms | ${names.join(' | ')} | machine |\n|---|---|---|${names.map(() => '---|').join('')}---|\n`,
    );
    for (const route of routes) {
      const options = {
        url: `${base}${route.path}`,
        method: route.method,
        connections,
        headers: { authorization: `Bearer ${student}`, ...(route.body ? { 'content-type': 'application/json' } : {}) },
        ...(route.body ? { body: JSON.stringify(route.body) } : {}),
      };
      await autocannon({ ...options, duration: 1 });
      const before = {
        machine: machineCpuSeconds(),
        ...Object.fromEntries(names.map((name) => [name, processCpuSeconds(pids[name as keyof typeof pids]!)])),
      };
      const result = await autocannon({ ...options, duration: seconds });
      const answered = result.requests.total;
      const perRequest = (spent: number) => ((1e6 * spent) / Math.max(1, answered)).toFixed(0);
      const cells = names.map((name) =>
        perRequest(processCpuSeconds(pids[name as keyof typeof pids]!) - (before as Record<string, number>)[name]!),
      );
      const machine = perRequest(machineCpuSeconds() - before.machine);
      const failed = !route.refused && result.non2xx + result.errors > 0 ? ` (${result.non2xx + result.errors} failed)` : '';
      process.stdout.write(
        `| ${route.name}${failed} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${cells.join(' | ')} | ${machine} |\n`,
      );
    }
  } finally {
    await platform.stop();
  }
}

runBenchmark(main);
