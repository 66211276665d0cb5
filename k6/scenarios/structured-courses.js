// k6 run k6/scenarios/structured-courses.js -e BASE_URL=http://localhost:8080 -e USERS=1000
//
// The guide's load test for k6: students walking a structured course
// (browse, open, every page and quiz by `next`, gems, progress) and a few
// authors building courses; SCENARIO=authoring runs authors only,
// SCENARIO=reading students who only read (the course and random pages). The
// journeys are k6/lib/journeys.js, the same the Node engine runs
// (`npm run load-test` without k6). setup() refuses a target that is not
// ready, makes the course and signs the users' tokens with JWT_SECRET.
import { check, sleep } from 'k6';
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import exec from 'k6/execution';
import http from 'k6/http';
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
import { runSettings, stages, THRESHOLDS } from '../lib/options.js';

const settings = runSettings(__ENV);

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    ...(settings.students > 0
      ? {
          students: {
            executor: 'ramping-vus',
            exec: 'student',
            startVUs: 0,
            stages: stages(settings, settings.students),
            gracefulRampDown: '10s',
          },
        }
      : {}),
    ...(settings.authors > 0
      ? {
          authors: {
            executor: 'ramping-vus',
            exec: 'author',
            startVUs: 0,
            stages: stages(settings, settings.authors),
            gracefulRampDown: '10s',
          },
        }
      : {}),
  },
  thresholds: THRESHOLDS,
  setupTimeout: '120s',
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

/** @param {Record<string, unknown>} payload */
function sign(payload) {
  const part = (value) => encoding.b64encode(JSON.stringify(value), 'rawurl');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${crypto.hmac('sha256', settings.jwtSecret, unsigned, 'base64rawurl')}`;
}

/** @param {import('../lib/journeys.js').Step} step */
function send(step) {
  const params = {
    headers: { 'content-type': 'application/json', ...(step.token ? { authorization: `Bearer ${step.token}` } : {}) },
    tags: { name: step.name },
  };
  const response = http.request(
    step.method,
    `${settings.baseUrl}${step.path}`,
    step.body === undefined ? null : JSON.stringify(step.body),
    params,
  );
  check(response, { 'status is not an error': (r) => r.status > 0 && r.status < 400 });
  let body = null;
  try {
    body = response.body ? JSON.parse(String(response.body)) : null;
  } catch {
    body = null;
  }
  return { status: response.status, body };
}

/** Runs a journey to its end; returns what it returns. */
function drive(journey, pause) {
  let reply;
  for (;;) {
    const step = reply === undefined ? journey.next() : journey.next(reply);
    if (step.done) return step.value;
    reply = send(step.value);
    if (pause && step.value.thinkSeconds > 0) sleep(step.value.thinkSeconds);
  }
}

export function setup() {
  const now = Math.floor(Date.now() / 1000);
  const fixture = drive(setupFixture(sign(claims(AUTHOR_ID, 'admin', now)), `${now}-${settings.seed}`), false);
  return {
    ...fixture,
    studentTokens: Array.from({ length: settings.students }, (_, n) => sign(claims(studentId(n), 'student', now))),
    authorToken: sign(claims(AUTHOR_ID, 'admin', now)),
    thinkSeconds: settings.thinkSeconds,
  };
}

/** @param {import('../lib/journeys.js').RunData} data */
export function student(data) {
  const vu = exec.vu.idInTest;
  const random = seededRandom(iterationSeed(settings.seed, vu, exec.vu.iterationInScenario));
  const token = data.studentTokens[(vu - 1) % data.studentTokens.length];
  drive(settings.scenario === 'reading' ? readerJourney(data, random, token) : studentJourney(data, random, token), true);
}

/** @param {import('../lib/journeys.js').RunData} data */
export function author(data) {
  drive(authorJourney(data, seededRandom(iterationSeed(settings.seed, exec.vu.idInTest, exec.vu.iterationInScenario))), true);
}

/** The whole summary as JSON (SUMMARY_JSON, default <scenario>-summary.json in the working folder) and a short text. */
export function handleSummary(data) {
  const duration = data.metrics.http_req_duration?.values ?? {};
  const failed = data.metrics.http_req_failed?.values?.rate ?? 0;
  const text = [
    `scenario ${settings.scenario}, ${settings.users} users, k6`,
    `requests ${data.metrics.http_reqs?.values?.count ?? 0} (${(data.metrics.http_reqs?.values?.rate ?? 0).toFixed(1)}/s)`,
    `latency p50 ${(duration.med ?? 0).toFixed(1)} ms  p95 ${(duration['p(95)'] ?? 0).toFixed(1)} ms  p99 ${(duration['p(99)'] ?? 0).toFixed(1)} ms`,
    `errors ${(failed * 100).toFixed(2)} %`,
    '',
  ].join('\n');
  return { stdout: text, [__ENV.SUMMARY_JSON || `${settings.scenario}-summary.json`]: JSON.stringify(data, null, 2) };
}
