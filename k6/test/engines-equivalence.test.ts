// The k6 script and the Node engine send the same requests, in the same
// order, with the same bodies and identities, for the same seed and the same
// answers: setup, students on their iterations, an author.
import { drive, iterationJourney, prepareRun } from '../engine/node-engine.js';
import { runSettings } from '../lib/options.js';
import { fakeGateway } from './fake-gateway';
import type { k6 as K6 } from './k6-shim';

const ENV = { USERS: '4', SEED: '7', THINK_SECONDS: '1', BASE_URL: 'http://127.0.0.1:1' };
const STUDENTS = 4;
const ITERATIONS = 2;
const AUTHOR_VU = STUDENTS + 1;

interface SentRequest {
  method: string;
  path: string;
  body: unknown;
  identity: string | undefined;
}

const identityOf = (authorization: string | undefined) => {
  if (!authorization) return undefined;
  const claims = JSON.parse(Buffer.from(authorization.replace('Bearer ', '').split('.')[1]!, 'base64url').toString());
  return `${claims.role} ${claims.sub}`;
};

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 11, 1, 12));
});

function throughK6(): SentRequest[] {
  const gateway = fakeGateway();
  const settings = runSettings(ENV);
  (globalThis as Record<string, unknown>).__ENV = ENV;
  // Read after __ENV is set, as k6 reads its script (once per run), with the k6 modules it imports.
  let script!: Record<string, (data?: unknown) => unknown>;
  let k6!: typeof K6;
  jest.isolateModules(() => {
    script = require('../scenarios/structured-courses.js');
    k6 = (require('./k6-shim') as { k6: typeof K6 }).k6;
  });
  k6.respond = (request) => {
    const reply = gateway(request.method, request.url.replace(ENV.BASE_URL, ''), request.body);
    return { status: reply.status, body: JSON.stringify(reply.body) };
  };
  const data = script.setup!();
  for (let vu = 1; vu <= STUDENTS; vu += 1) {
    for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
      Object.assign(k6.vu, { idInTest: vu, iterationInScenario: iteration });
      script.student!(data);
    }
  }
  if (settings.authors > 0) {
    Object.assign(k6.vu, { idInTest: AUTHOR_VU, iterationInScenario: 0 });
    script.author!(data);
  }
  return k6.requests.map((request) => ({
    method: request.method,
    path: request.url.replace(ENV.BASE_URL, ''),
    body: request.body === null ? undefined : JSON.parse(request.body),
    identity: identityOf(request.headers.authorization),
  }));
}

async function throughNodeEngine(): Promise<SentRequest[]> {
  const gateway = fakeGateway();
  const settings = runSettings(ENV);
  const sent: SentRequest[] = [];
  const send = async (step: { method: string; path: string; body?: unknown; token?: string }) => {
    sent.push({ method: step.method, path: step.path, body: step.body, identity: identityOf(step.token && `Bearer ${step.token}`) });
    return { ...gateway(step.method, step.path, step.body === undefined ? undefined : JSON.stringify(step.body)), durationMs: 0 };
  };
  const data = await prepareRun(settings, send);
  for (let vu = 1; vu <= STUDENTS; vu += 1) {
    for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
      await drive(iterationJourney('student', data, settings, vu, iteration), send, () => {}, false);
    }
  }
  if (settings.authors > 0) await drive(iterationJourney('author', data, settings, AUTHOR_VU, 0), send, () => {}, false);
  return sent;
}

test('both engines send the same request sequence for the same seed', async () => {
  const viaK6 = throughK6();
  const viaNode = await throughNodeEngine();
  expect(viaNode).toEqual(viaK6);

  // What the sequence is made of: setup's course, every student's walk to
  // its quizzes, the author's course, each with its own identity.
  expect(viaK6[0]).toMatchObject({ method: 'GET', path: '/ready' });
  expect(viaK6.filter((r) => r.path.endsWith('/attempts'))).toHaveLength(STUDENTS * ITERATIONS * 6);
  expect(new Set(viaK6.filter((r) => r.identity?.startsWith('student')).map((r) => r.identity)).size).toBe(STUDENTS);
  expect(viaK6.at(-1)).toMatchObject({ method: 'GET', identity: expect.stringMatching(/^admin /) });
});

test('another seed gives other answers, so the comparison above is not vacuous', async () => {
  const first = await throughNodeEngine();
  ENV.SEED = '8';
  try {
    const second = await throughNodeEngine();
    const attempts = (requests: SentRequest[]) => requests.filter((r) => r.path.endsWith('/attempts')).map((r) => r.body);
    expect(attempts(second)).not.toEqual(attempts(first));
  } finally {
    ENV.SEED = '7';
  }
});

test('the reading scenario: both engines send the same reads, and nothing else', async () => {
  Object.assign(ENV, { SCENARIO: 'reading' });
  try {
    const viaK6 = throughK6();
    const viaNode = await throughNodeEngine();
    expect(viaNode).toEqual(viaK6);
    const afterSetup = viaK6.filter((r) => r.identity?.startsWith('student'));
    expect(afterSetup.length).toBeGreaterThan(STUDENTS * ITERATIONS * 10);
    expect(new Set(afterSetup.map((r) => r.method))).toEqual(new Set(['GET']));
    expect(afterSetup.filter((r) => /\/pages\/\d+$/.test(r.path)).length).toBeGreaterThan(afterSetup.length / 2);
    expect(viaK6.filter((r) => r.identity?.startsWith('admin') && r.method === 'POST' && r.path === '/api/courses')).toHaveLength(1);
  } finally {
    delete (ENV as Record<string, string>).SCENARIO;
  }
});
