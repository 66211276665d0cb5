import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { K8sObject, NAMESPACE, ROOT, byKind, render } from './helm';

// The guide's alerts ("Monitoring and Alerting"), as the chart renders them,
// checked and unit-tested by promtool: each fires on bad series and stays
// quiet on good ones.
const run = promisify(execFile);

async function promtool(args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT')
      throw new Error("promtool is missing: run `make tools` (it installs Debian's prometheus package)", { cause: error });
    return { code: Number(failure.code) || 1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

type Series = Array<[series: string, values: string]>;

interface AlertCase {
  /** The labels the alert carries besides severity (its `by` clause), on the bad series. */
  labels: Record<string, string>;
  /** Series (1m apart) on which it must fire at evalTime; more than one set means each must. */
  bad: Series[];
  /** Series on which it must stay quiet at evalTime. */
  good: Series;
  evalTime: string;
}

const ns = `namespace="${NAMESPACE}"`;
const bucketSeries = (metric: string, labels: string, counts: Record<string, string>): Series =>
  Object.entries(counts).map(([le, values]) => [`${metric}{${labels},le="${le}"}`, values]);
const api = `${ns},service="gateway",method="GET",route="/api/courses/:id"`;
const upload = `${ns},service="gateway",grpc_service="testmancer.media.v1.MediaService",grpc_method="UploadAsset"`;
const structure = `${ns},service="content",grpc_service="testmancer.content.v1.ContentService"`;

/** Every alert of the guide: four critical, four warning. */
const CASES: Record<string, { severity: 'critical' | 'warning' } & AlertCase> = {
  MigrationFailed: {
    severity: 'critical',
    labels: { namespace: NAMESPACE, job_name: 'testmancer-migrate' },
    bad: [[[`kube_job_status_failed{${ns},job_name="testmancer-migrate"}`, '0 0 1x10']]],
    good: [
      [`kube_job_status_failed{${ns},job_name="testmancer-migrate"}`, '0x12'],
      // Another release's failed Job is not this release's alert.
      ['kube_job_status_failed{namespace="other",job_name="testmancer-migrate"}', '1x12'],
    ],
    evalTime: '5m',
  },
  DatabaseConnectionIssues: {
    severity: 'critical',
    labels: { namespace: NAMESPACE, service: 'content' },
    bad: [
      [
        [`mongodb_reachable{${ns},service="content",pod="content-1"}`, '1 1 0x10'],
        [`mongodb_reachable{${ns},service="quiz",pod="quiz-1"}`, '1x12'],
      ],
    ],
    // One missed minute (a busy database) is not an outage.
    good: [
      [`mongodb_reachable{${ns},service="content",pod="content-1"}`, '1 1 1 1 0 1 1 1 1 1 1 1'],
      [`mongodb_reachable{${ns},service="quiz",pod="quiz-1"}`, '1x12'],
    ],
    evalTime: '5m',
  },
  APIErrorRateHigh: {
    severity: 'critical',
    labels: { namespace: NAMESPACE },
    bad: [
      [
        [`http_server_requests_total{${api},status="200"}`, '0+100x30'],
        [`http_server_requests_total{${api},status="500"}`, '0+10x30'],
      ],
    ],
    good: [
      [`http_server_requests_total{${api},status="200"}`, '0+100x30'],
      [`http_server_requests_total{${api},status="503"}`, '0+3x30'],
      [`http_server_requests_total{${api},status="404"}`, '0+50x30'],
      // /ready answering 503 is readiness, not an API failure.
      [`http_server_requests_total{${ns},service="gateway",method="GET",route="/ready",status="503"}`, '0+100x30'],
    ],
    evalTime: '20m',
  },
  MediaUploadFailures: {
    severity: 'critical',
    labels: { namespace: NAMESPACE },
    bad: [
      [
        [`grpc_client_handled_total{${upload},grpc_code="OK"}`, '0+10x30'],
        [`grpc_client_handled_total{${upload},grpc_code="UNAVAILABLE"}`, '0+5x30'],
      ],
    ],
    // Refused uploads (too large, wrong type) are the client's, not failures.
    good: [
      [`grpc_client_handled_total{${upload},grpc_code="OK"}`, '0+10x30'],
      [`grpc_client_handled_total{${upload},grpc_code="INVALID_ARGUMENT"}`, '0+5x30'],
      [`grpc_client_handled_total{${upload},grpc_code="UNAVAILABLE"}`, '0x30'],
    ],
    evalTime: '20m',
  },
  HighResponseTime: {
    severity: 'warning',
    labels: { namespace: NAMESPACE },
    bad: [
      bucketSeries('http_server_request_duration_seconds_bucket', `${api},status="200"`, {
        '0.1': '0x40',
        '1': '0+1x40',
        '2.5': '0+10x40',
        '+Inf': '0+10x40',
      }),
    ],
    good: bucketSeries('http_server_request_duration_seconds_bucket', `${api},status="200"`, {
      '0.1': '0+9x40',
      '1': '0+10x40',
      '2.5': '0+10x40',
      '+Inf': '0+10x40',
    }),
    evalTime: '30m',
  },
  DatabaseConnectionPoolHigh: {
    severity: 'warning',
    labels: { namespace: NAMESPACE, service: 'quiz' },
    bad: [
      [
        [`mongodb_pool_checked_out_connections{${ns},service="quiz",pod="quiz-1"}`, '45x30'],
        [`mongodb_pool_max_connections{${ns},service="quiz",pod="quiz-1"}`, '50x30'],
      ],
    ],
    good: [
      [`mongodb_pool_checked_out_connections{${ns},service="quiz",pod="quiz-1"}`, '30x30'],
      [`mongodb_pool_max_connections{${ns},service="quiz",pod="quiz-1"}`, '50x30'],
    ],
    evalTime: '20m',
  },
  CourseStructureValidationErrors: {
    severity: 'warning',
    labels: { namespace: NAMESPACE },
    bad: [
      [
        [`grpc_server_handled_total{${structure},grpc_method="ReorderUnits",grpc_code="INVALID_ARGUMENT"}`, '0+2x30'],
        [`grpc_server_handled_total{${structure},grpc_method="ReorderUnits",grpc_code="OK"}`, '0+20x30'],
      ],
    ],
    good: [
      [`grpc_server_handled_total{${structure},grpc_method="ReorderUnits",grpc_code="INVALID_ARGUMENT"}`, '0x30'],
      [`grpc_server_handled_total{${structure},grpc_method="ReorderUnits",grpc_code="OK"}`, '0+20x30'],
      // Reads that find nothing are not structure errors.
      [`grpc_server_handled_total{${structure},grpc_method="GetCourse",grpc_code="NOT_FOUND"}`, '0+10x30'],
    ],
    evalTime: '20m',
  },
  QuizSubmissionDelays: {
    severity: 'warning',
    labels: { namespace: NAMESPACE },
    bad: [
      // Slow submissions...
      bucketSeries('quiz_submission_duration_seconds_bucket', `${ns},service="quiz"`, {
        '0.25': '0x30',
        '1': '0x30',
        '2.5': '0+10x30',
        '+Inf': '0+10x30',
      }),
      // ... or gems delivered minutes late.
      [
        ...bucketSeries('quiz_submission_duration_seconds_bucket', `${ns},service="quiz"`, {
          '0.25': '0+10x30',
          '1': '0+10x30',
          '2.5': '0+10x30',
          '+Inf': '0+10x30',
        }),
        ...bucketSeries('quiz_gem_grant_delivery_lag_seconds_bucket', `${ns},service="quiz"`, {
          '1': '0x30',
          '60': '0x30',
          '300': '0+10x30',
          '+Inf': '0+10x30',
        }),
      ],
    ],
    good: [
      ...bucketSeries('quiz_submission_duration_seconds_bucket', `${ns},service="quiz"`, {
        '0.25': '0+10x30',
        '1': '0+10x30',
        '2.5': '0+10x30',
        '+Inf': '0+10x30',
      }),
      ...bucketSeries('quiz_gem_grant_delivery_lag_seconds_bucket', `${ns},service="quiz"`, {
        '1': '0+10x30',
        '60': '0+10x30',
        '300': '0+10x30',
        '+Inf': '0+10x30',
      }),
    ],
    evalTime: '20m',
  },
};

let dir: string;
let rules: Rule[];
let groups: Array<{ name: string; rules: Rule[] }>;

beforeAll(async () => {
  const objects: K8sObject[] = await render(['ci/minimal-values.yaml'], ['--set', 'monitoring.prometheusRule.enabled=true']);
  const [rule] = byKind(objects, 'PrometheusRule');
  groups = rule!.spec.groups;
  rules = groups.flatMap((group) => group.rules);
  dir = mkdtempSync(path.join(os.tmpdir(), 'testmancer-alerts-'));
  writeFileSync(path.join(dir, 'rules.yaml'), stringify({ groups }));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The annotations as Prometheus expands them for an alert with these labels. */
function expand(annotations: Record<string, string>, labels: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(annotations).map(([key, text]) => [
      key,
      text.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_all, label: string) => {
        if (!(label in labels)) throw new Error(`annotation ${key} uses $labels.${label}, which the alert does not carry`);
        return labels[label]!;
      }),
    ]),
  );
}

const inputSeries = (series: Series) => series.map(([name, values]) => ({ series: name, values }));

test('promtool check rules accepts the rendered rules', async () => {
  const result = await promtool(['check', 'rules', 'rules.yaml'], dir);
  expect(result.output).toContain(`SUCCESS: ${Object.keys(CASES).length} rules found`);
  expect(result.code).toBe(0);
});

test("the rules are the guide's alerts: critical and warning, each with summary, description and a runbook section", () => {
  expect(rules.map((rule) => rule.alert).sort()).toEqual(Object.keys(CASES).sort());
  const runbook = readFileSync(path.join(ROOT, 'docs/runbook.md'), 'utf8');
  const anchors = new Set(
    [...runbook.matchAll(/^#{2,3} (.+)$/gm)].map((match) =>
      match[1]!
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    ),
  );
  for (const rule of rules) {
    expect([rule.alert, rule.labels.severity]).toEqual([rule.alert, CASES[rule.alert]!.severity]);
    expect(Object.keys(rule.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
    const [base, anchor] = rule.annotations.runbook_url!.split('#');
    expect(base).toBe('https://github.com/testmancer/testmancer/blob/main/docs/runbook.md');
    expect([rule.alert, anchors.has(anchor!)]).toEqual([rule.alert, true]);
  }
});

test('a promtool test that expects the wrong thing fails (the harness can fail)', async () => {
  const rule = rules.find((r) => r.alert === 'MigrationFailed')!;
  const wrong = {
    rule_files: ['rules.yaml'],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: inputSeries(CASES.MigrationFailed!.good),
        alert_rule_test: [{ eval_time: '5m', alertname: rule.alert, exp_alerts: [{ exp_labels: { severity: 'critical' } }] }],
      },
    ],
  };
  writeFileSync(path.join(dir, 'wrong.test.yaml'), stringify(wrong));
  const result = await promtool(['test', 'rules', 'wrong.test.yaml'], dir);
  expect(result.code).not.toBe(0);
  expect(result.output).toContain('FAILED');
});

test.each(Object.keys(CASES))('%s fires on its condition and stays quiet otherwise', async (alert) => {
  const rule = rules.find((r) => r.alert === alert)!;
  const { bad, good, evalTime, labels, severity } = CASES[alert]!;
  const expected = { ...labels, severity };
  const file = {
    rule_files: ['rules.yaml'],
    evaluation_interval: '1m',
    tests: [
      ...bad.map((series, index) => ({
        name: `${alert} fires (${index + 1})`,
        interval: '1m',
        input_series: inputSeries(series),
        alert_rule_test: [
          {
            eval_time: evalTime,
            alertname: alert,
            exp_alerts: [{ exp_labels: expected, exp_annotations: expand(rule.annotations, expected) }],
          },
        ],
      })),
      {
        name: `${alert} stays quiet`,
        interval: '1m',
        input_series: inputSeries(good),
        alert_rule_test: [{ eval_time: evalTime, alertname: alert, exp_alerts: [] }],
      },
    ],
  };
  writeFileSync(path.join(dir, `${alert}.test.yaml`), stringify(file));
  const result = await promtool(['test', 'rules', `${alert}.test.yaml`], dir);
  expect(result.output).toContain('SUCCESS');
  expect(result.code).toBe(0);
});

test('each alert can be switched off by name', async () => {
  const objects = await render(
    ['ci/minimal-values.yaml'],
    ['--set', 'monitoring.prometheusRule.enabled=true', '--set', 'monitoring.prometheusRule.disabled.QuizSubmissionDelays=true'],
  );
  const names = byKind(objects, 'PrometheusRule')[0]!.spec.groups.flatMap((group: { rules: Rule[] }) =>
    group.rules.map((rule) => rule.alert),
  );
  expect(names).not.toContain('QuizSubmissionDelays');
  expect(names).toHaveLength(Object.keys(CASES).length - 1);
});
