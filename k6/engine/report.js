// What a run measured: the summary (percentiles, throughput, errors, per
// step, per second), the thresholds, a baseline comparison, the text a
// person reads in the terminal and the HTML report they open.
import { THRESHOLDS, thresholdHolds } from '../lib/options.js';

/** @typedef {import('./node-engine.js').Sample} Sample */

function percentile(sorted, q) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function latency(durations) {
  const sorted = [...durations].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    avg: sorted.length ? sum / sorted.length : 0,
    min: sorted[0] ?? 0,
    med: percentile(sorted, 0.5),
    'p(90)': percentile(sorted, 0.9),
    'p(95)': percentile(sorted, 0.95),
    'p(99)': percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/**
 * @param {Sample[]} samples
 * @param {{ scenario: string, users: number, baseUrl: string }} settings
 * @param {{ engine: string, runSeconds: number }} run
 */
export function summarize(samples, settings, run) {
  const failed = samples.filter((sample) => sample.failed).length;
  const duration = latency(samples.map((sample) => sample.durationMs));
  const steps = {};
  for (const name of [...new Set(samples.map((sample) => sample.name))]) {
    const mine = samples.filter((sample) => sample.name === name);
    steps[name] = { ...latency(mine.map((sample) => sample.durationMs)), errors: mine.filter((sample) => sample.failed).length };
  }
  const timeline = [];
  const lastSecond = Math.ceil(run.runSeconds);
  for (let second = 0; second < lastSecond; second += 1) {
    const inSecond = samples.filter((sample) => sample.at >= second && sample.at < second + 1);
    const { med, 'p(95)': p95 } = latency(inSecond.map((sample) => sample.durationMs));
    timeline.push({ second, requests: inSecond.length, errors: inSecond.filter((sample) => sample.failed).length, med, p95 });
  }
  const metrics = {
    http_req_duration: duration,
    http_req_failed: { rate: samples.length ? failed / samples.length : 0 },
    // Every request is checked for a status below 400, as the k6 script does.
    checks: { rate: samples.length ? 1 - failed / samples.length : 1 },
  };
  const thresholds = Object.entries(THRESHOLDS).flatMap(([metric, expressions]) =>
    expressions.map((expression) => ({ metric, expression, ok: thresholdHolds(expression, metrics[metric]) })),
  );
  return {
    scenario: settings.scenario,
    engine: run.engine,
    users: settings.users,
    target: settings.baseUrl,
    runSeconds: run.runSeconds,
    requests: samples.length,
    throughput: run.runSeconds > 0 ? samples.length / run.runSeconds : 0,
    errorRate: metrics.http_req_failed.rate,
    metrics,
    thresholds,
    steps,
    timeline,
  };
}

const ms = (value) => `${value.toFixed(1)} ms`;

export function textSummary(summary) {
  const d = summary.metrics.http_req_duration;
  const lines = [
    `scenario ${summary.scenario}, ${summary.users} users, ${summary.engine} engine, ${summary.runSeconds.toFixed(0)} s against ${summary.target}`,
    `requests ${summary.requests} (${summary.throughput.toFixed(1)}/s), errors ${(summary.errorRate * 100).toFixed(2)} %`,
    `latency  p50 ${ms(d.med)}  p95 ${ms(d['p(95)'])}  p99 ${ms(d['p(99)'])}  max ${ms(d.max)}`,
    '',
    'step                  count     p50       p95       p99    errors',
    ...Object.entries(summary.steps).map(
      ([name, s]) =>
        `${name.padEnd(20)} ${String(s.count).padStart(6)} ${ms(s.med).padStart(9)} ${ms(s['p(95)']).padStart(9)} ${ms(s['p(99)']).padStart(9)} ${String(s.errors).padStart(6)}`,
    ),
    '',
    ...summary.thresholds.map((t) => `${t.ok ? 'ok    ' : 'FAILED'} ${t.metric} ${t.expression}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Tolerances of a comparison with a baseline: how much worse a figure may be before the run fails. */
export const BASELINE_TOLERANCE = { latencyGrowth: 0.2, throughputDrop: 0.2, errorRateGrowth: 0.005 };

/**
 * Side by side with a saved run: p50, p95, p99, throughput and error rate,
 * and whether any is worse than the tolerance allows.
 */
export function compareWithBaseline(summary, baseline, tolerance = BASELINE_TOLERANCE) {
  const rows = [];
  const row = (figure, now, before, worse) => rows.push({ figure, now, before, regressed: worse });
  for (const stat of ['med', 'p(95)', 'p(99)']) {
    const now = summary.metrics.http_req_duration[stat];
    const before = baseline.metrics.http_req_duration[stat];
    // A millisecond of slack: sub-millisecond figures jitter by more than a fifth.
    row(`latency ${stat === 'med' ? 'p(50)' : stat} (ms)`, now, before, now > before * (1 + tolerance.latencyGrowth) + 1);
  }
  row(
    'throughput (req/s)',
    summary.throughput,
    baseline.throughput,
    summary.throughput < baseline.throughput * (1 - tolerance.throughputDrop),
  );
  row('error rate', summary.errorRate, baseline.errorRate, summary.errorRate > baseline.errorRate + tolerance.errorRateGrowth);
  const text = [
    `compared with the baseline (tolerance: latency +${tolerance.latencyGrowth * 100} %, throughput -${tolerance.throughputDrop * 100} %, errors +${tolerance.errorRateGrowth * 100} points)`,
    'figure                   baseline        now',
    ...rows.map(
      (r) =>
        `${r.figure.padEnd(22)} ${r.before.toFixed(3).padStart(10)} ${r.now.toFixed(3).padStart(10)}${r.regressed ? '   REGRESSED' : ''}`,
    ),
  ].join('\n');
  return { rows, regressed: rows.some((r) => r.regressed), text: `${text}\n` };
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

/** A line chart of one or more series over the run's seconds, as inline SVG. */
function chart(title, series, unit) {
  const width = 760;
  const height = 220;
  const pad = { left: 56, right: 12, top: 24, bottom: 28 };
  const points = series.flatMap((s) => s.values);
  const maxY = Math.max(1, ...points);
  const maxX = Math.max(1, ...series.map((s) => s.values.length - 1));
  const x = (i) => pad.left + (i / maxX) * (width - pad.left - pad.right);
  const y = (v) => height - pad.bottom - (v / maxY) * (height - pad.top - pad.bottom);
  const lines = series
    .map(
      (s) =>
        `<polyline fill="none" stroke="${s.color}" stroke-width="1.6" points="${s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  const legend = series
    .map((s, i) => `<text x="${pad.left + i * 140}" y="14" fill="${s.color}" font-size="12">${escapeHtml(s.label)}</text>`)
    .join('');
  const ticks = [0, 0.5, 1]
    .map(
      (f) =>
        `<text x="${pad.left - 6}" y="${y(maxY * f) + 4}" font-size="11" text-anchor="end">${(maxY * f).toFixed(maxY < 10 ? 1 : 0)}</text>`,
    )
    .join('');
  return `<figure><figcaption>${escapeHtml(title)} (${escapeHtml(unit)} per second of the run)</figcaption>
<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">
<rect x="${pad.left}" y="${pad.top}" width="${width - pad.left - pad.right}" height="${height - pad.top - pad.bottom}" fill="#fafafa" stroke="#ddd"/>
${ticks}<text x="${width - pad.right}" y="${height - 8}" font-size="11" text-anchor="end">${maxX} s</text><text x="${pad.left}" y="${height - 8}" font-size="11">0 s</text>
${lines}${legend}</svg></figure>`;
}

/** A page a person opens: figures, thresholds, steps, and latency, throughput and errors over time. */
export function htmlReport(summary, comparison) {
  const d = summary.metrics.http_req_duration;
  const t = summary.timeline;
  const stepRows = Object.entries(summary.steps)
    .map(
      ([name, s]) =>
        `<tr><td>${escapeHtml(name)}</td><td>${s.count}</td><td>${s.med.toFixed(1)}</td><td>${s['p(95)'].toFixed(1)}</td><td>${s['p(99)'].toFixed(1)}</td><td>${s.max.toFixed(1)}</td><td>${s.errors}</td></tr>`,
    )
    .join('');
  const thresholdRows = summary.thresholds
    .map(
      (th) =>
        `<tr class="${th.ok ? 'ok' : 'bad'}"><td>${escapeHtml(th.metric)}</td><td>${escapeHtml(th.expression)}</td><td>${th.ok ? 'ok' : 'FAILED'}</td></tr>`,
    )
    .join('');
  const comparisonTable = comparison
    ? `<h2>Against the baseline</h2><table><tr><th>figure</th><th>baseline</th><th>now</th><th></th></tr>${comparison.rows
        .map(
          (r) =>
            `<tr class="${r.regressed ? 'bad' : 'ok'}"><td>${escapeHtml(r.figure)}</td><td>${r.before.toFixed(3)}</td><td>${r.now.toFixed(3)}</td><td>${r.regressed ? 'regressed' : ''}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Load test: ${escapeHtml(summary.scenario)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}td:first-child,th:first-child{text-align:left}tr.bad td{background:#fde2e2}tr.ok td:last-child{color:#186a3b}.figures span{display:inline-block;margin-right:2rem;font-size:1.2rem}figure{margin:1rem 0}</style></head>
<body><h1>Load test: ${escapeHtml(summary.scenario)}</h1>
<p>${summary.users} users, ${escapeHtml(summary.engine)} engine, ${summary.runSeconds.toFixed(0)} s against ${escapeHtml(summary.target)}</p>
<p class="figures"><span>p50 ${d.med.toFixed(1)} ms</span><span>p95 ${d['p(95)'].toFixed(1)} ms</span><span>p99 ${d['p(99)'].toFixed(1)} ms</span><span>${summary.throughput.toFixed(1)} req/s</span><span>errors ${(summary.errorRate * 100).toFixed(2)} %</span></p>
<h2>Thresholds</h2><table><tr><th>metric</th><th>threshold</th><th></th></tr>${thresholdRows}</table>
${comparisonTable}
${chart(
  'Latency',
  [
    { label: 'p50', color: '#2e86c1', values: t.map((s) => s.med) },
    { label: 'p95', color: '#c0392b', values: t.map((s) => s.p95) },
  ],
  'ms',
)}
${chart('Throughput', [{ label: 'requests', color: '#27ae60', values: t.map((s) => s.requests) }], 'requests')}
${chart('Errors', [{ label: 'failed requests', color: '#c0392b', values: t.map((s) => s.errors) }], 'requests')}
<h2>Steps</h2><table><tr><th>step</th><th>count</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>errors</th></tr>${stepRows}</table>
</body></html>
`;
}
