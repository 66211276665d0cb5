/**
 * Read-path benchmark (issue: structured courses): median and p95 of
 * GET /api/courses/:id over N sequential requests through the gateway, next
 * to a direct driver findOne of the same course document in the same run.
 *
 *   npm run bench:course-read            (N=2000; BENCH_REQUESTS to change)
 *
 * Starts its own platform on loopback (or uses MONGODB_URI), prints figures, stops.
 */
import { performance } from 'node:perf_hooks';
import { signToken } from '@testmancer/shared';
import { MongoClient, ObjectId } from 'mongodb';
import { benchPlatform, json, publishedCourse, runBenchmark } from './fixture';

const requests = Number(process.env.BENCH_REQUESTS ?? 2000);

function summary(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `${label.padEnd(34)} n=${sorted.length}  median ${at(0.5).toFixed(2)} ms  p95 ${at(0.95).toFixed(2)} ms  p99 ${at(0.99).toFixed(2)} ms  max ${sorted[sorted.length - 1]!.toFixed(2)} ms`;
}

async function main(): Promise<void> {
  const platform = await benchPlatform();
  const mongo = new MongoClient(platform.mongodbUri);
  try {
    const admin = await signToken({ sub: new ObjectId().toHexString(), role: 'admin' });
    const student = await signToken({ sub: new ObjectId().toHexString(), role: 'student' });
    const base = platform.gatewayUrl;
    const course = { id: await publishedCourse(base, admin, 8, 6) };

    // Warm-up (connections, JIT, cache), not measured.
    for (let i = 0; i < 50; i += 1) await json(`${base}/api/courses/${course.id}`, student);

    const gateway: number[] = [];
    for (let i = 0; i < requests; i += 1) {
      const started = performance.now();
      await json(`${base}/api/courses/${course.id}`, student);
      gateway.push(performance.now() - started);
    }

    const courses = mongo.db(platform.dbName).collection('courses');
    const id = new ObjectId(course.id);
    for (let i = 0; i < 50; i += 1) await courses.findOne({ _id: id });
    const direct: number[] = [];
    for (let i = 0; i < requests; i += 1) {
      const started = performance.now();
      await courses.findOne({ _id: id });
      direct.push(performance.now() - started);
    }

    process.stdout.write(
      [
        `course with 8 units × 6 pages, ${requests} sequential requests each, database ${process.env.MONGODB_URI ? 'MONGODB_URI' : 'local FerretDB behind the proxy'}`,
        summary('GET /api/courses/:id via gateway', gateway),
        summary('driver findOne({ _id }) direct', direct),
        '',
      ].join('\n'),
    );
  } finally {
    await mongo.close();
    await platform.stop();
  }
}

runBenchmark(main);
