/**
 * Cached course reads under load, against the ceiling of this machine: the
 * throughput of GET /api/courses/:id through the gateway (100 connections,
 * closed loop, a student token), then of a bare Node HTTP server sending the
 * same bytes with the same headers, measured the same way in the same run.
 *
 *   npm run bench:course-throughput      (BENCH_SECONDS=10, BENCH_CONNECTIONS=100)
 *
 * The load generator (autocannon) shares the machine with what it measures,
 * for both targets alike; the ratio is the figure to compare across changes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signToken } from '@testmancer/shared';
import autocannon from 'autocannon';
import { ObjectId } from 'mongodb';
import { benchPlatform, publishedCourse, runBenchmark } from './fixture';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 100);

async function load(url: string, token: string): Promise<autocannon.Result> {
  // Warm-up: connections, JIT and the course cache.
  await autocannon({ url, connections, duration: 2, headers: { authorization: `Bearer ${token}` } });
  return autocannon({ url, connections, duration: seconds, headers: { authorization: `Bearer ${token}` } });
}

const line = (label: string, result: autocannon.Result) =>
  `${label.padEnd(30)} ${result.requests.average.toFixed(0).padStart(7)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  non-2xx ${result.non2xx}  errors ${result.errors}`;

async function main(): Promise<void> {
  const platform = await benchPlatform();
  try {
    const admin = await signToken({ sub: new ObjectId().toHexString(), role: 'admin' });
    const student = await signToken({ sub: new ObjectId().toHexString(), role: 'student' });
    const courseId = await publishedCourse(platform.gatewayUrl, admin, 5, 4);
    const url = `${platform.gatewayUrl}/api/courses/${courseId}`;

    const sample = await fetch(url, { headers: { authorization: `Bearer ${student}` } });
    const body = Buffer.from(await sample.arrayBuffer());
    const headers = Object.fromEntries(
      [...sample.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name)),
    );

    const viaGateway = await load(url, student);
    const bare = http.createServer((_request, response) => {
      response.writeHead(200, headers);
      response.end(body);
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    try {
      const ceiling = await load(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/`, student);
      process.stdout.write(
        [
          `cached course read (5 units × 4 pages, ${body.length} bytes), ${connections} connections, ${seconds} s each`,
          line('GET /api/courses/:id, gateway', viaGateway),
          line('bare Node server, same bytes', ceiling),
          `gateway / ceiling: ${((100 * viaGateway.requests.average) / ceiling.requests.average).toFixed(1)} %`,
          '',
        ].join('\n'),
      );
    } finally {
      bare.close();
    }
  } finally {
    await platform.stop();
  }
}

runBenchmark(main);
