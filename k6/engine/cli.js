#!/usr/bin/env node
// npm run load-test -- --scenario structured-courses --users 1000
//
// Runs k6 (k6/scenarios/structured-courses.js) when a `k6` binary is on the
// PATH, and otherwise the same journeys with the Node engine. Prints p50,
// p95, p99, throughput and the error rate, writes the JSON summary and an
// HTML report, and exits 1 when a threshold is crossed or the run regressed
// against --baseline. The target is BASE_URL (default http://localhost:8080).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULTS, runSettings } from '../lib/options.js';
import { runNodeEngine } from './node-engine.js';
import { compareWithBaseline, htmlReport, summarize, textSummary } from './report.js';

const K6_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const K6_SCRIPT = path.join(K6_DIR, 'scenarios', 'structured-courses.js');
/** k6's exit code when a threshold was crossed. */
const K6_THRESHOLDS_CROSSED = 99;

const USAGE = `usage: npm run load-test -- [--scenario structured-courses|authoring|reading] [--users N]
  [--ramp-up S] [--duration S] [--ramp-down S] [--think S] [--seed N]
  [--engine auto|k6|node] [--summary-json FILE] [--report-html FILE]
  [--save-baseline FILE] [--baseline FILE] [--allow-remote]
BASE_URL (default ${DEFAULTS.BASE_URL}) names the gateway; JWT_SECRET signs the test users' tokens.`;

function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)));
}

/** Load goes to this machine unless the operator says otherwise: a mistyped URL must not load someone's server. */
function isLoopback(baseUrl) {
  const { hostname } = new URL(baseUrl);
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function writeFile(file, content) {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, content);
}

async function main() {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      users: { type: 'string' },
      'ramp-up': { type: 'string' },
      duration: { type: 'string' },
      'ramp-down': { type: 'string' },
      think: { type: 'string' },
      seed: { type: 'string' },
      engine: { type: 'string', default: 'auto' },
      'summary-json': { type: 'string' },
      'report-html': { type: 'string' },
      'save-baseline': { type: 'string' },
      baseline: { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const env = {
    ...process.env,
    ...(values.scenario ? { SCENARIO: values.scenario } : {}),
    ...(values.users ? { USERS: values.users } : {}),
    ...(values['ramp-up'] ? { RAMP_UP_SECONDS: values['ramp-up'] } : {}),
    ...(values.duration ? { HOLD_SECONDS: values.duration } : {}),
    ...(values['ramp-down'] ? { RAMP_DOWN_SECONDS: values['ramp-down'] } : {}),
    ...(values.think ? { THINK_SECONDS: values.think } : {}),
    ...(values.seed ? { SEED: values.seed } : {}),
  };
  const settings = runSettings(env);
  if (!isLoopback(settings.baseUrl) && !values['allow-remote']) {
    throw new Error(`BASE_URL ${settings.baseUrl} is not on this machine; pass --allow-remote to load it`);
  }
  const summaryFile = values['summary-json'] ?? path.join('k6', 'results', `${settings.scenario}.json`);
  const reportFile = values['report-html'] ?? path.join('k6', 'results', `${settings.scenario}.html`);
  const engine = values.engine === 'auto' ? (onPath('k6') ? 'k6' : 'node') : values.engine;

  if (engine === 'k6') {
    process.stdout.write(`running k6 ${K6_SCRIPT} (${settings.users} users against ${settings.baseUrl})\n`);
    // k6 writes handleSummary's files but does not make their folder.
    mkdirSync(path.dirname(path.resolve(summaryFile)), { recursive: true });
    const result = spawnSync('k6', ['run', K6_SCRIPT], { stdio: 'inherit', env: { ...env, SUMMARY_JSON: summaryFile } });
    if (result.error) throw result.error;
    if (result.status === K6_THRESHOLDS_CROSSED) process.stderr.write('load-test: a threshold was crossed\n');
    return result.status ?? 1;
  }
  if (engine !== 'node') throw new Error(`--engine must be auto, k6 or node, not "${engine}"`);

  process.stdout.write(`no k6 on the PATH: the Node engine runs the same journeys (${settings.users} users against ${settings.baseUrl})\n`);
  const run = await runNodeEngine(settings, { log: (line) => process.stdout.write(`  ${line}\n`) });
  const summary = summarize(run.samples, settings, { engine: 'node', runSeconds: run.runSeconds });
  const baseline = values.baseline ? JSON.parse(readFileSync(values.baseline, 'utf8')) : undefined;
  const comparison = baseline ? compareWithBaseline(summary, baseline) : undefined;

  writeFile(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
  writeFile(reportFile, htmlReport(summary, comparison));
  if (values['save-baseline']) writeFile(values['save-baseline'], `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`\n${textSummary(summary)}`);
  if (comparison) process.stdout.write(`\n${comparison.text}`);
  process.stdout.write(
    `\nsummary ${summaryFile}\nreport  ${reportFile}\n${values['save-baseline'] ? `baseline saved to ${values['save-baseline']}\n` : ''}`,
  );

  const crossed = summary.thresholds.filter((t) => !t.ok);
  if (crossed.length > 0)
    process.stderr.write(`load-test: threshold crossed: ${crossed.map((t) => `${t.metric} ${t.expression}`).join(', ')}\n`);
  if (comparison?.regressed) process.stderr.write('load-test: the run regressed against the baseline\n');
  return crossed.length > 0 || comparison?.regressed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`load-test: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  },
);
