/**
 * What one service hop costs, without a database or an HTTP edge: the same
 * unary call (content's GetCourse answering a course of 8 units, from
 * memory) over loopback, with the project's server and client (credentials
 * of the calling service and the user verified, deadline and cancellation,
 * metrics, tracing, error mapping) and with bare nice-grpc, sequentially
 * (latency) and 20 at a time (CPU per call, client and server together, as
 * both run in this process). Then the share of identity in a hop: what the
 * callee's verification of both credentials costs per call (tokens are
 * reused, so their checks are cached), and what a token costs the first
 * time (signed by the gateway, verified by a service: once per user and
 * service a minute).
 *
 *   npm run bench:rpc-hop        (BENCH_CALLS=5000 to change)
 */
// As in every service: the OpenTelemetry SDK before grpc-js loads (its context is what a hop pays for).
import { startTracing } from '@testmancer/shared/tracing';
startTracing('bench');

import { ServerCredentials } from '@grpc/grpc-js';
import { contentV1 } from '@testmancer/proto';
import {
  createGrpcServer,
  createLogger,
  createServiceClient,
  loadServiceKeys,
  registration,
  ServiceIdentity,
  type Caller,
} from '@testmancer/shared';
import { createChannel, createClient, createServer } from 'nice-grpc';
import { performance } from 'node:perf_hooks';
import { runBenchmark } from './fixture';

const calls = Number(process.env.BENCH_CALLS ?? 5000);
const CONCURRENCY = 20;

const hex = (n: number) => n.toString(16).padStart(24, '0');
const course: contentV1.Course = {
  id: hex(1),
  title: 'Benchmark course',
  description: '',
  categoryId: hex(2),
  status: contentV1.CourseStatus.PUBLISHED,
  structure: { unitType: 'unit', unitCount: 8 },
  units: Array.from({ length: 8 }, (_, u) => ({
    id: hex(100 + u),
    title: `Unit ${u + 1}`,
    order: u + 1,
    pageCount: 6,
    pages: Array.from({ length: 6 }, (__, p) => ({ id: hex(1000 + u * 10 + p), pageOrder: p + 1, title: `Page ${u + 1}.${p + 1}` })),
    version: 7,
  })),
  version: 49,
  createdBy: hex(3),
  createdAt: new Date(),
  updatedAt: new Date(),
};
const answer = async () => ({ course, unchanged: false });

interface Variant {
  name: string;
  call: () => Promise<unknown>;
}

async function measure({ name, call }: Variant): Promise<string> {
  for (let i = 0; i < 500; i += 1) await call();
  const latencies: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    const started = performance.now();
    await call();
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < calls) {
        next += 1;
        await call();
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  const wall = performance.now() - wallBefore;
  const at = (q: number) => latencies[Math.floor(q * latencies.length)]!.toFixed(3);
  return `${name.padEnd(44)} median ${at(0.5)} ms  p95 ${at(0.95)} ms  | ${CONCURRENCY} at a time: ${((calls / wall) * 1000).toFixed(0)} calls/s, CPU ${((cpu.user + cpu.system) / calls).toFixed(0)} µs/call`;
}

/** Mean µs of `work`, run `times` times one after another. */
async function meanMicros(times: number, work: (i: number) => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < times; i += 1) await work(i);
  return Number(process.hrtime.bigint() - started) / times / 1000;
}

async function identityCost(gateway: ServiceIdentity): Promise<string> {
  const callee = new ServiceIdentity('content', loadServiceKeys('content', {}));
  const serviceToken = await gateway.serviceToken('content');
  const users = Array.from({ length: calls }, (_, i) => ({
    kind: 'user' as const,
    userId: hex(10_000 + i),
    role: 'student' as const,
    categoryIds: [],
  }));
  const minted = await Promise.all(users.map((user) => gateway.userToken(user)));
  // Header values arrive as new strings on every call: so here.
  const fresh = (token: string) => ` ${token}`.slice(1);
  await callee.verify(serviceToken, minted[0]);
  const cached = await meanMicros(calls, () => callee.verify(fresh(serviceToken), fresh(minted[0]!)));
  const mint = await meanMicros(calls, (i) => gateway.userToken(users[i]!));
  const firstCheck = await meanMicros(calls, (i) => callee.verify(serviceToken, minted[i]));
  return [
    `identity per hop: both credentials verified (cached) ${cached.toFixed(2)} µs/call`,
    `identity per user and minute: a user token signed ${mint.toFixed(0)} µs, verified the first time ${firstCheck.toFixed(0)} µs`,
  ].join('\n');
}

async function main(): Promise<void> {
  const logger = createLogger('bench', 'silent');
  const keys = (name: 'gateway' | 'content') => loadServiceKeys(name, {});
  const contentIdentity = new ServiceIdentity('content', keys('content'));
  const gatewayIdentity = new ServiceIdentity('gateway', keys('gateway'));

  const service = registration('testmancer.content.v1.ContentService', contentV1.ContentServiceService, { getCourse: answer });
  const full = createGrpcServer({ logger, identity: contentIdentity });
  full.add(service);
  const fullPort = await full.listen('127.0.0.1', 0);

  const bare = createServer();
  bare.add(service.definition, service.implementation);
  const barePort = await bare.listen('127.0.0.1:0', ServerCredentials.createInsecure());

  const student = { kind: 'user' as const, userId: hex(9), role: 'student' as const, categoryIds: [] };
  const caller: Caller = { ...student, credential: await gatewayIdentity.userToken(student) };
  const fullClient = createServiceClient(contentV1.ContentServiceService, `127.0.0.1:${fullPort}`, 'content', {
    identity: gatewayIdentity,
    defaultDeadlineMs: 10_000,
  });
  const bareChannel = createChannel(`127.0.0.1:${barePort}`);
  const bareClient = createClient(contentV1.ContentServiceService, bareChannel);

  try {
    const lines = [];
    for (const variant of [
      { name: 'bare nice-grpc client → bare server', call: () => bareClient.getCourse({ id: course.id, knownVersion: 0 }) },
      {
        name: 'project client → project server (a user)',
        call: () => fullClient.getCourse({ id: course.id, knownVersion: 0 }, { caller }),
      },
      { name: 'project client → project server (no user)', call: () => fullClient.getCourse({ id: course.id, knownVersion: 0 }) },
    ])
      lines.push(await measure(variant));
    lines.push(await identityCost(gatewayIdentity));
    process.stdout.write(`one GetCourse hop over loopback, ${calls} calls per figure\n${lines.join('\n')}\n`);
  } finally {
    fullClient.close();
    bareChannel.close();
    await full.drain(1000);
    await bare.shutdown();
  }
}

runBenchmark(main);
