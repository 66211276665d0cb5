/**
 * Resident memory of the gateway and of each service during the guide's
 * load (the Node engine's structured-courses journeys), sampled every second
 * from /proc, with the run's own figures beside it.
 *
 *   npm run bench:load-memory            (BENCH_USERS=1000, BENCH_SECONDS=40 of hold after a 10 s ramp)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchPlatform, runBenchmark } from './fixture';

/** The load engine's modules are plain JavaScript ES modules (k6 reads them too); loaded by path. */
const k6Module = (file: string): Promise<any> => import(pathToFileURL(path.resolve(__dirname, '../../k6', file)).href);

const users = process.env.BENCH_USERS ?? '1000';
const holdSeconds = process.env.BENCH_SECONDS ?? '40';

function residentMiB(pid: number): number | undefined {
  try {
    const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const platform = await benchPlatform();
  try {
    const { runNodeEngine } = await k6Module('engine/node-engine.js');
    const { summarize } = await k6Module('engine/report.js');
    const { runSettings } = await k6Module('lib/options.js');
    const settings = runSettings({
      BASE_URL: platform.gatewayUrl,
      USERS: users,
      RAMP_UP_SECONDS: '10',
      HOLD_SECONDS: holdSeconds,
      RAMP_DOWN_SECONDS: '0',
      JWT_SECRET: platform.jwtSecret,
    });

    const pids = platform.pids();
    const samples = new Map<string, number[]>(Object.keys(pids).map((name) => [name, []]));
    const sample = () => {
      for (const [name, pid] of Object.entries(pids)) {
        const mib = residentMiB(pid);
        if (mib !== undefined) samples.get(name)!.push(mib);
      }
    };
    sample();
    const idle = new Map([...samples].map(([name, values]) => [name, values[0] ?? 0]));
    const timer = setInterval(sample, 1_000);
    const run = await runNodeEngine(settings);
    clearInterval(timer);
    const summary = summarize(run.samples, settings, { engine: 'node', runSeconds: run.runSeconds });

    const d = summary.metrics.http_req_duration;
    process.stdout.write(
      [
        `${users} users, ${run.runSeconds.toFixed(0)} s: ${summary.requests} requests (${summary.throughput.toFixed(1)}/s), p95 ${d['p(95)'].toFixed(0)} ms, errors ${(summary.errorRate * 100).toFixed(2)} %`,
        '',
        '| process | resident at rest (MiB) | during the run: mean | max |',
        '|---|---|---|---|',
        ...[...samples].map(([name, values]) => {
          const mean = values.reduce((total, value) => total + value, 0) / Math.max(1, values.length);
          return `| ${name} | ${idle.get(name)!.toFixed(0)} | ${mean.toFixed(0)} | ${Math.max(...values).toFixed(0)} |`;
        }),
        '',
      ].join('\n'),
    );
  } finally {
    await platform.stop();
  }
}

runBenchmark(main);
