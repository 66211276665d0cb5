// `npm run load-test` against the platform: the Node engine (no k6 here) runs
// the journeys, writes its summary and report, judges the guide's thresholds
// on what it measured, and fails them, and a baseline, on a slowed gateway.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
/** Small and short: a few users for a few seconds, as the CLI's flags allow. */
const RUN = ['--scenario', 'structured-courses', '--users', '8', '--ramp-up', '1', '--duration', '4', '--ramp-down', '0', '--think', '0.2'];

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'load-test-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function loadTest(baseUrl: string, extra: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'k6/engine/cli.js'), ...RUN, ...extra], {
      cwd: workDir,
      // No k6 on this PATH, whatever the machine has: the Node engine is what is tested here.
      env: { PATH: path.dirname(process.execPath), BASE_URL: baseUrl, JWT_SECRET: process.env.TEST_JWT_SECRET! },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The gateway behind a delay of `delayMs` on every read: a deliberately slow target (writes, setup's among them, pass at once). */
async function slowedGateway(delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(process.env.TEST_GATEWAY_URL!);
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      setTimeout(
        () => {
          const upstream = http.request(
            { host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers },
            (answer) => {
              response.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(response);
            },
          );
          upstream.on('error', () => response.destroy());
          upstream.end(Buffer.concat(chunks));
        },
        request.method === 'GET' ? delayMs : 0,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('the journeys run against the gateway; the thresholds are judged on what was measured; the summary, report and baseline are written', async () => {
  const run = await loadTest(process.env.TEST_GATEWAY_URL!, [
    '--summary-json',
    'summary.json',
    '--report-html',
    'report.html',
    '--save-baseline',
    'baseline.json',
  ]);
  expect(run.stdout).toMatch(/no k6 on the PATH: the Node engine/);
  expect(run.stdout).toMatch(/latency {2}p50 [\d.]+ ms {2}p95 [\d.]+ ms {2}p99 [\d.]+ ms/);

  const summary = JSON.parse(readFileSync(path.join(workDir, 'summary.json'), 'utf8'));
  expect(summary).toMatchObject({ scenario: 'structured-courses', engine: 'node', users: 8, errorRate: 0 });
  expect(summary.requests).toBeGreaterThan(50);
  for (const step of ['list courses', 'open course', 'read page', 'mark page viewed', 'submit attempt', 'next item']) {
    expect(summary.steps[step]?.count).toBeGreaterThan(0);
  }
  // Whether this machine meets the guide's 500 ms is the benchmarks' question; here, that the verdict follows the figures.
  const p95 = summary.metrics.http_req_duration['p(95)'] as number;
  expect(summary.thresholds).toEqual([
    { metric: 'http_req_duration', expression: 'p(95)<500', ok: p95 < 500 },
    { metric: 'http_req_failed', expression: 'rate<0.01', ok: true },
    { metric: 'checks', expression: 'rate>0.99', ok: true },
  ]);
  expect(run.stdout).toContain(`${p95 < 500 ? 'ok    ' : 'FAILED'} http_req_duration p(95)<500`);
  expect(run.code).toBe(p95 < 500 ? 0 : 1);
  const report = readFileSync(path.join(workDir, 'report.html'), 'utf8');
  expect(report).toMatch(/<svg[^>]+aria-label="Latency"/);
  expect(report).toMatch(/<td>submit attempt<\/td>/);
  expect(JSON.parse(readFileSync(path.join(workDir, 'baseline.json'), 'utf8')).requests).toBe(summary.requests);
}, 120_000);

test('on a gateway slowed past 500 ms the run fails its p95 threshold and regresses against a faster baseline', async () => {
  // A baseline as a run saves it, of a run whose reads took a tenth of a second at most.
  const baseline = { metrics: { http_req_duration: { med: 20, 'p(95)': 100, 'p(99)': 100 } }, throughput: 1, errorRate: 0 };
  writeFileSync(path.join(workDir, 'fast-baseline.json'), JSON.stringify(baseline));
  const slow = await slowedGateway(600);
  try {
    const run = await loadTest(slow.url, ['--summary-json', 'slow.json', '--report-html', 'slow.html', '--baseline', 'fast-baseline.json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/threshold crossed: http_req_duration p\(95\)<500/);
    expect(run.stderr).toMatch(/regressed against the baseline/);
    expect(run.stdout).toMatch(/FAILED http_req_duration p\(95\)<500/);
    expect(run.stdout).toMatch(/latency p\(95\) \(ms\).*REGRESSED/);
    const summary = JSON.parse(readFileSync(path.join(workDir, 'slow.json'), 'utf8'));
    expect(summary.metrics.http_req_duration['p(95)']).toBeGreaterThan(500);
  } finally {
    await slow.close();
  }
}, 120_000);

test('a target that is not ready is refused before any user starts', async () => {
  const dead = http.createServer((_request, response) => response.writeHead(503).end());
  await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
  try {
    const run = await loadTest(`http://127.0.0.1:${(dead.address() as AddressInfo).port}`, ['--summary-json', 'dead.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/the target is not ready \(GET \/ready answered 503\); refusing to start/);
  } finally {
    dead.close();
  }
});
