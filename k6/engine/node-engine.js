// The load engine that runs where k6 does not: the journeys of
// lib/journeys.js, driven as k6 drives them (ramping virtual users, think
// time, one seed per user and iteration), over undici's keep-alive pool.
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import {
  AUTHOR_ID,
  authorJourney,
  claims,
  iterationSeed,
  readerJourney,
  seededRandom,
  setupFixture,
  studentId,
  studentJourney,
} from '../lib/journeys.js';
import { targetAt } from '../lib/options.js';

/**
 * @typedef {import('../lib/journeys.js').Step} Step
 * @typedef {import('../lib/journeys.js').Reply} Reply
 * @typedef {{ at: number, name: string, method: string, durationMs: number, status: number, failed: boolean }} Sample
 * @typedef {(step: Step) => Promise<Reply & { durationMs: number }>} Transport
 */

/** A request that gets no answer in this long counts as failed (k6's default timeout is 60 s). */
const REQUEST_TIMEOUT_MS = 60_000;

export function signToken(payload, secret) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** HTTP to the target through one keep-alive pool; a network error is a reply with status 0, as in k6. */
export function httpTransport(baseUrl, connections) {
  const dispatcher = new Agent({
    connections,
    keepAliveTimeout: 30_000,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
  /** @type {Transport} */
  const send = async (step) => {
    const started = performance.now();
    try {
      const response = await request(`${baseUrl}${step.path}`, {
        method: step.method,
        dispatcher,
        headers: { 'content-type': 'application/json', ...(step.token ? { authorization: `Bearer ${step.token}` } : {}) },
        ...(step.body === undefined ? {} : { body: JSON.stringify(step.body) }),
      });
      const text = await response.body.text();
      let body = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      return { status: response.statusCode, body, durationMs: performance.now() - started };
    } catch {
      return { status: 0, body: null, durationMs: performance.now() - started };
    }
  };
  return { send, close: () => dispatcher.close() };
}

/**
 * Drives one journey to its end with `send`, recording each request, and
 * sleeping its think time unless `pause` is false. Returns the journey's result.
 */
export async function drive(journey, send, record, pause, shouldStop = () => false) {
  let reply;
  for (;;) {
    const step = reply === undefined ? journey.next() : journey.next(reply);
    if (step.done) return step.value;
    reply = await send(step.value);
    record(step.value, reply);
    if (shouldStop()) return undefined;
    if (pause && step.value.thinkSeconds > 0) await sleep(step.value.thinkSeconds * 1000);
  }
}

/** What setup() hands the users, as the k6 script's setup() returns it. */
export async function prepareRun(settings, send) {
  const now = Math.floor(Date.now() / 1000);
  const admin = signToken(claims(AUTHOR_ID, 'admin', now), settings.jwtSecret);
  const fixture = await drive(setupFixture(admin, `${now}-${settings.seed}`), send, () => {}, false);
  return {
    ...fixture,
    studentTokens: Array.from({ length: settings.students }, (_, n) => signToken(claims(studentId(n), 'student', now), settings.jwtSecret)),
    authorToken: admin,
    thinkSeconds: settings.thinkSeconds,
  };
}

/** The journey of virtual user `vu` (numbered from 1, students first) in its `iteration`, as the k6 script starts it. */
export function iterationJourney(kind, data, settings, vu, iteration) {
  const random = seededRandom(iterationSeed(settings.seed, vu, iteration));
  if (kind === 'author') return authorJourney(data, random);
  const token = data.studentTokens[(vu - 1) % data.studentTokens.length];
  return settings.scenario === 'reading' ? readerJourney(data, random, token) : studentJourney(data, random, token);
}

/**
 * One run: setup, then students and authors ramping through the stages, then
 * the samples. Bounded: every user stops when its stage ends (at the next
 * request) and the run ends when the last one has.
 *
 * @param {ReturnType<typeof import('../lib/options.js').runSettings>} settings
 * @param {{ log?: (line: string) => void }} [options]
 */
export async function runNodeEngine(settings, { log = () => {} } = {}) {
  const connections = Math.max(16, Math.min(settings.students + settings.authors, 512));
  const transport = httpTransport(settings.baseUrl, connections);
  /** @type {Sample[]} */
  const samples = [];
  const started = performance.now();
  const elapsedSeconds = () => (performance.now() - started) / 1000;
  try {
    const data = await prepareRun(settings, transport.send);
    log(`setup done: course ${data.courseId}; ${settings.students} students, ${settings.authors} authors`);

    const runStarted = performance.now();
    const runSeconds = () => (performance.now() - runStarted) / 1000;
    const totalSeconds = settings.rampUpSeconds + settings.holdSeconds + settings.rampDownSeconds;
    const record = (step, reply) =>
      samples.push({
        at: runSeconds(),
        name: step.name,
        method: step.method,
        durationMs: reply.durationMs,
        status: reply.status,
        failed: reply.status === 0 || reply.status >= 400,
      });

    // Virtual users are numbered from 1 across both groups, as k6's idInTest.
    const group = (count, firstVu, kind) =>
      Array.from({ length: count }, async (_, index) => {
        const vu = firstVu + index;
        const active = () => index < targetAt(settings, count, runSeconds()) && runSeconds() < totalSeconds;
        for (let iteration = 0; runSeconds() < totalSeconds;) {
          if (!active()) {
            await sleep(100);
            continue;
          }
          await drive(iterationJourney(kind, data, settings, vu, iteration), transport.send, record, true, () => !active());
          iteration += 1;
        }
      });
    const progress = setInterval(() => log(`${Math.round(runSeconds())} s: ${samples.length} requests`), 10_000);
    try {
      await Promise.all([...group(settings.students, 1, 'student'), ...group(settings.authors, settings.students + 1, 'author')]);
    } finally {
      clearInterval(progress);
    }
    return { samples, setupSeconds: (runStarted - started) / 1000, runSeconds: runSeconds() };
  } finally {
    await transport.close();
    log(`done in ${elapsedSeconds().toFixed(1)} s`);
  }
}
