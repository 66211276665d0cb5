import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Platform } from '@testmancer/local-platform';
import { user } from '../support/api';
import { expectStatus, must } from '../support/content';
import { eventually, ownPlatform } from '../support/own-platform';
import { correctAnswers, publishedQuizAt, submit } from '../support/quiz';

/**
 * Traces end to end: every process exports to an OTLP/HTTP receiver of the
 * test's own (the collector's place), sampling as the chart sets it
 * (parent-based trace-id ratio) at 100 %. One request is one trace across
 * the gateway, the services and the database, and each process's log line
 * for it carries the trace id.
 */

interface ReceivedSpan {
  service: string;
  resource: Record<string, unknown>;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer' | 'unspecified';
  attributes: Record<string, unknown>;
}

interface Receiver {
  url: string;
  spans: ReceivedSpan[];
  /** Requests the receiver could not take (not JSON, not /v1/traces): the processes must send what the test reads. */
  refused: string[];
  close(): Promise<void>;
}

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
};
type KeyValue = { key: string; value?: AnyValue };
const valueOf = (value: AnyValue | undefined): unknown =>
  value?.stringValue ??
  (value?.intValue !== undefined ? Number(value.intValue) : undefined) ??
  value?.boolValue ??
  value?.doubleValue ??
  value?.arrayValue?.values?.map(valueOf);
const attributesOf = (list: KeyValue[] | undefined) => Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

/** A collector's OTLP/HTTP traces endpoint in its JSON encoding, keeping what it is sent. */
async function startReceiver(): Promise<Receiver> {
  const spans: ReceivedSpan[] = [];
  const refused: string[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const type = req.headers['content-type'] ?? '';
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !type.startsWith('application/json')) {
        refused.push(`${req.method} ${req.url} ${type}`);
        res.writeHead(415).end();
        return;
      }
      const request = JSON.parse(body.toString('utf8')) as {
        resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: any[] }[] }[];
      };
      for (const resourceSpans of request.resourceSpans ?? []) {
        const resource = attributesOf(resourceSpans.resource?.attributes);
        const service = String(resource['service.name']);
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({
              service,
              resource,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
              name: span.name,
              kind: KINDS[span.kind ?? 0] ?? 'unspecified',
              attributes: attributesOf(span.attributes),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The spans of one trace, and the path of processes from its root to a span. */
class Trace {
  constructor(readonly spans: readonly ReceivedSpan[]) {}

  get roots(): ReceivedSpan[] {
    return this.spans.filter((span) => span.parentSpanId === '');
  }

  /** Parent ids that name no span of the trace (spans not arrived yet, or a broken link). */
  get dangling(): string[] {
    const ids = new Set(this.spans.map((span) => span.spanId));
    return this.spans.filter((span) => span.parentSpanId !== '' && !ids.has(span.parentSpanId)).map((span) => span.parentSpanId);
  }

  /** Root first; undefined when a parent is missing. */
  ancestry(span: ReceivedSpan): ReceivedSpan[] | undefined {
    const byId = new Map(this.spans.map((s) => [s.spanId, s]));
    const chain = [span];
    for (let current = span; current.parentSpanId !== '';) {
      const parent = byId.get(current.parentSpanId);
      if (!parent || chain.includes(parent)) return undefined;
      chain.unshift(parent);
      current = parent;
    }
    return chain;
  }

  /** The processes a span's ancestry crosses, root first, each named once per hop: e.g. gateway → quiz → gems. */
  hops(span: ReceivedSpan): string[] | undefined {
    return this.ancestry(span)?.reduce<string[]>((hops, s) => (hops.at(-1) === s.service ? hops : [...hops, s.service]), []);
  }

  find(predicate: (span: ReceivedSpan) => boolean): ReceivedSpan[] {
    return this.spans.filter(predicate);
  }
}

let receiver: Receiver;
let platform: Platform;

beforeAll(async () => {
  receiver = await startReceiver();
  platform = await ownPlatform('tracing', {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // The chart's sampler (charts/testmancer/templates/_helpers.tpl), at 100 %.
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '1',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      // As the chart sets them (there: the image tag and the pod's name).
      OTEL_RESOURCE_ATTRIBUTES: 'service.version=tracing-test,k8s.pod.name=local',
      // The per-request and per-RPC lines are debug lines.
      LOG_LEVEL: 'debug',
      // Every course read checks the stored version: the read reaches the database.
      COURSE_CACHE_REVALIDATE_MS: '0',
      // The first attempt's grant goes to gems within the submit, not later from the dispatcher, even on a busy machine.
      GRANT_DELIVERY_TIMEOUT_MS: '10000',
    },
  });
});

afterAll(async () => {
  await platform?.stop();
  await receiver?.close();
});

const WAIT_MS = 20_000;

/**
 * The trace of the gateway's server span for `method path`, once it holds spans
 * satisfying `complete` and no parent is missing (spans arrive in batches, per process).
 */
async function traceOf(method: string, urlPath: string, complete: (trace: Trace) => boolean): Promise<Trace> {
  const read = () => {
    const roots = receiver.spans.filter(
      (span) =>
        span.service === 'gateway' &&
        span.kind === 'server' &&
        span.attributes['url.path'] === urlPath &&
        span.attributes['http.request.method'] === method,
    );
    return Promise.resolve(roots.map((root) => new Trace(receiver.spans.filter((span) => span.traceId === root.traceId))));
  };
  const { value } = await eventually(
    read,
    (traces) => traces.length === 1 && complete(traces[0]!) && traces[0]!.dangling.length === 0,
    WAIT_MS,
  ).catch(async (error: Error) => {
    // Say what did arrive: which processes sent spans for the request, and what the receiver refused.
    const traces = await read();
    throw new Error(
      `${error.message.slice(0, 200)}…\nfor ${method} ${urlPath}: ${traces.length} trace(s); spans ${JSON.stringify(traces.map((t) => t.spans.map((s) => `${s.service}:${s.kind}:${s.name}`)))}; refused ${JSON.stringify(receiver.refused)}`,
    );
  });
  return value[0]!;
}

interface LogLine {
  msg: string;
  service: string;
  trace_id?: string;
  span_id?: string;
}

function logLines(service: string): LogLine[] {
  const text = readFileSync(path.join(platform.logDir, `${service}.log`), 'utf8');
  return text.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

/** Each process's log holds a line with the trace id, its span id one of that process's spans in the trace. */
async function expectLogLines(trace: Trace, services: readonly string[]): Promise<void> {
  const traceId = trace.spans[0]!.traceId;
  const { value } = await eventually(
    () =>
      Promise.resolve(
        Object.fromEntries(services.map((service) => [service, logLines(service).filter((line) => line.trace_id === traceId)])),
      ),
    (found) => services.every((service) => found[service]!.length > 0),
    WAIT_MS,
  );
  for (const service of services) {
    const spanIds = trace.find((span) => span.service === service).map((span) => span.spanId);
    for (const line of value[service]!) {
      expect(line.service).toBe(service);
      expect(spanIds).toContain(line.span_id);
    }
  }
}

function expectOneRootAtTheGateway(trace: Trace, method: string, urlPath: string): void {
  expect(trace.roots).toHaveLength(1);
  expect(trace.roots[0]).toMatchObject({
    service: 'gateway',
    kind: 'server',
    attributes: expect.objectContaining({ 'url.path': urlPath, 'http.request.method': method }),
  });
  expect(new Set(trace.spans.map((span) => span.traceId)).size).toBe(1);
  for (const span of trace.spans) expect(span.resource).toMatchObject({ 'service.version': 'tracing-test', 'k8s.pod.name': 'local' });
  expect(trace.dangling).toEqual([]);
}

test('a course read is one trace: gateway → content → database, and the trace id is in the gateway and content log lines', async () => {
  const baseUrl = platform.gatewayUrl;
  const quiz = await publishedQuizAt(baseUrl);
  const student = await user('student');
  const urlPath = `/api/courses/${quiz.courseId}`;
  const course = await must(200, 'GET', urlPath, { as: student, baseUrl });
  expect(course.id).toBe(quiz.courseId);

  const isCourseQuery = (span: ReceivedSpan) =>
    span.service === 'content' && span.attributes['db.system.name'] === 'mongodb' && span.attributes['db.collection.name'] === 'courses';
  const trace = await traceOf('GET', urlPath, (t) => t.find(isCourseQuery).length > 0);
  expectOneRootAtTheGateway(trace, 'GET', urlPath);

  // The gateway's gRPC call is served by content, in the same trace, as the caller's child.
  const contentServer = trace.find((span) => span.service === 'content' && span.kind === 'server' && /ContentService\//.test(span.name));
  expect(contentServer.length).toBeGreaterThan(0);
  for (const span of contentServer) {
    expect(trace.hops(span)).toEqual(['gateway', 'content']);
    const parent = trace.spans.find((s) => s.spanId === span.parentSpanId)!;
    expect(parent).toMatchObject({ service: 'gateway', kind: 'client', name: span.name });
  }
  // And content's query of the courses collection is a child of that call.
  for (const query of trace.find(isCourseQuery)) {
    expect(query.kind).toBe('client');
    expect(trace.hops(query)).toEqual(['gateway', 'content']);
    expect(trace.ancestry(query)).toEqual(expect.arrayContaining([expect.objectContaining({ service: 'content', kind: 'server' })]));
  }

  await expectLogLines(trace, ['gateway', 'content']);
});

test('a first attempt is one trace: gateway → quiz → gems, and the trace id is in the gateway, quiz and gems log lines', async () => {
  const baseUrl = platform.gatewayUrl;
  const quiz = await publishedQuizAt(baseUrl, 5);
  const student = await user('student');
  const response = await submit(student, quiz.id, correctAnswers(quiz), { baseUrl });
  expectStatus(response, 201);
  expect(response.body).toMatchObject({ firstAttempt: true, gemsAwarded: 5, gemsStatus: 'granted' });

  const urlPath = `/api/quizzes/${quiz.id}/attempts`;
  const isGrant = (span: ReceivedSpan) => span.service === 'gems' && span.kind === 'server' && /GemsService\/GrantGems$/.test(span.name);
  const trace = await traceOf('POST', urlPath, (t) => t.find(isGrant).length > 0);
  expectOneRootAtTheGateway(trace, 'POST', urlPath);

  const submitSpans = trace.find(
    (span) => span.service === 'quiz' && span.kind === 'server' && /QuizService\/SubmitAttempt$/.test(span.name),
  );
  expect(submitSpans).toHaveLength(1);
  expect(trace.hops(submitSpans[0]!)).toEqual(['gateway', 'quiz']);
  const grants = trace.find(isGrant);
  expect(grants).toHaveLength(1);
  expect(trace.hops(grants[0]!)).toEqual(['gateway', 'quiz', 'gems']);
  // The grant is called from within the submit: quiz's client span, under quiz's server span.
  expect(trace.ancestry(grants[0]!)).toEqual(
    expect.arrayContaining([submitSpans[0], expect.objectContaining({ service: 'quiz', kind: 'client', name: grants[0]!.name })]),
  );
  // Gems records the grant in its ledger within the same trace.
  expect(trace.find((span) => span.service === 'gems' && span.attributes['db.system.name'] === 'mongodb').length).toBeGreaterThan(0);

  await expectLogLines(trace, ['gateway', 'quiz', 'gems']);
  expect(receiver.refused).toEqual([]);
});
