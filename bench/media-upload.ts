/**
 * A large video through the gateway into the media service (local provider)
 * and back: upload and download throughput, and the resident memory the
 * gateway and the media service grow by while the file streams through them
 * (sampled from /proc every 50 ms; the issue's bound is 64 MiB each).
 *
 *   npm run bench:media-upload           (BENCH_MEDIA_MB=200)
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { signToken } from '@testmancer/shared';
import { benchPlatform, json } from './fixture';

const megabytes = Number(process.env.BENCH_MEDIA_MB ?? '200');
const MiB = 1024 * 1024;

function residentMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib ?? 0) / 1024;
}

/** An MP4 signature (`ftyp` box) and then `size` bytes of noise, written to disk: the benchmark holds none of it either. */
async function writeVideo(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  const head = Buffer.concat([Buffer.from('00000018', 'hex'), Buffer.from('ftypisom\0\0\x02\0isomiso2', 'latin1')]);
  const block = Buffer.alloc(MiB);
  let seed = 1;
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), i);
  const write = async (chunk: Buffer) => {
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write(head);
  for (let written = head.length; written < size; written += block.length)
    await write(block.subarray(0, Math.min(block.length, size - written)));
  out.end();
  await once(out, 'close');
  return hash.digest('hex');
}

/** `POST /api/media` with the file streamed from disk into a hand-framed multipart body. */
async function upload(gatewayUrl: string, token: string, courseId: string, file: string): Promise<{ status: number; body: string }> {
  const boundary = `bench${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="courseId"\r\n\r\n${courseId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="lecture.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = (await stat(file)).size;
  const req = request(`${gatewayUrl}/api/media`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(head.length + size + tail.length),
    },
  });
  const answered = once(req, 'response') as Promise<[import('node:http').IncomingMessage]>;
  req.write(head);
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
    if (!req.write(chunk)) await once(req, 'drain');
  }
  req.end(tail);
  const [res] = await answered;
  let body = '';
  for await (const chunk of res) body += String(chunk);
  return { status: res.statusCode ?? 0, body };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-media-'));
  const file = path.join(dir, 'lecture.mp4');
  const size = megabytes * MiB;
  const checksum = await writeVideo(file, size);
  const platform = await benchPlatform();
  try {
    const admin = await signToken({ sub: 'a0a0a0a0a0a0a0a0a0a0a0a0', role: 'admin', categoryIds: [] }, platform.jwtSecret);
    const category = await json(`${platform.gatewayUrl}/api/categories`, admin, 'POST', { name: `bench media ${Date.now()}` });
    const course = await json(`${platform.gatewayUrl}/api/courses`, admin, 'POST', {
      title: 'Media benchmark',
      categoryId: category.id,
      structure: { unitType: 'unit' },
    });
    const pids = platform.pids();
    const watched = { gateway: pids.gateway!, media: pids.media! };
    const sample = () =>
      Object.fromEntries(Object.entries(watched).map(([name, pid]) => [name, residentMiB(pid)])) as Record<string, number>;

    const measure = async <T>(run: () => Promise<T>) => {
      const before = sample();
      const peak = { ...before };
      const timer = setInterval(() => {
        for (const [name, mib] of Object.entries(sample())) peak[name] = Math.max(peak[name]!, mib);
      }, 50);
      const started = process.hrtime.bigint();
      const result = await run();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(timer);
      return { result, seconds, before, peak };
    };

    const up = await measure(() => upload(platform.gatewayUrl, admin, course.id as string, file));
    if (up.result.status !== 201) throw new Error(`upload answered ${up.result.status}: ${up.result.body}`);
    const asset = JSON.parse(up.result.body) as { id: string; checksum: string; bytes: number };

    const down = await measure(async () => {
      const response = await fetch(`${platform.gatewayUrl}${`/api/media/${asset.id}/content`}`);
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        bytes += chunk.length;
      }
      return { bytes, checksum: hash.digest('hex') };
    });

    const row = (label: string, run: typeof up | typeof down) =>
      console.log(
        `${label.padEnd(9)} ${(size / MiB / run.seconds).toFixed(1).padStart(7)} MB/s  ${run.seconds.toFixed(2).padStart(6)} s  ` +
          Object.keys(watched)
            .map(
              (name) =>
                `${name} ${run.before[name]!.toFixed(0)} → ${run.peak[name]!.toFixed(0)} MiB (+${(run.peak[name]! - run.before[name]!).toFixed(1)})`,
            )
            .join('  '),
      );
    console.log(`media upload benchmark: ${megabytes} MiB video, local provider, loopback, 2 cores shared with the platform`);
    row('upload', up);
    row('download', down);
    console.log(
      `checksums: file ${checksum.slice(0, 12)}…, stored ${asset.checksum.slice(0, 12)}…, downloaded ${down.result.checksum.slice(0, 12)}… ` +
        (checksum === asset.checksum && checksum === down.result.checksum && down.result.bytes === size ? '(identical)' : '(DIFFERENT)'),
    );
    const worst = Math.max(...Object.keys(watched).flatMap((name) => [up, down].map((run) => run.peak[name]! - run.before[name]!)));
    console.log(`largest resident growth: ${worst.toFixed(1)} MiB (bound: 64 MiB per process)`);
  } finally {
    await platform.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
