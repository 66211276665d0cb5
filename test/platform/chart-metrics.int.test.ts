import { readFileSync } from 'node:fs';
import path from 'node:path';
import { byKind, CHART, render } from '../../charts/test/helm';

// Every metric the chart's alerts, canary analyses and dashboard query must be
// one the running processes expose: a renamed metric would otherwise leave an
// alert that can never fire. Checked against a scrape of the platform's
// gateway and services.
const urls = JSON.parse(process.env.TEST_METRICS_URLS ?? '{}') as Record<string, string>;

/** Metrics that come from outside this project (kube-state-metrics, for the migration Job's status). */
const EXTERNAL = new Set(['kube_job_status_failed']);

async function exposed(url: string): Promise<Set<string>> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const names = new Set<string>();
  for (const [, name, type] of (await response.text()).matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram' || type === 'summary') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

/** Metric names used with a selector in PromQL, with the service the selector names (if any). */
function usedMetrics(queries: string[]): Array<{ metric: string; service: string | undefined; query: string }> {
  return queries.flatMap((query) =>
    [...query.matchAll(/\b([a-z_][a-z0-9_]*)\{([^}]*(?:\{\{[^}]*\}\}[^}]*)*)\}/g)].map((match) => ({
      metric: match[1]!,
      service: /(?:^|,)service="([a-z]+)"/.exec(match[2]!)?.[1],
      query,
    })),
  );
}

test('every metric of the alerts, the canary analyses and the dashboard is exposed by the process it names', async () => {
  expect(Object.keys(urls).sort()).toEqual(['content', 'gateway', 'gems', 'media', 'quiz']);
  const byProcess = Object.fromEntries(
    await Promise.all(Object.entries(urls).map(async ([name, url]) => [name, await exposed(url)] as const)),
  );
  const everywhere = new Set(Object.values(byProcess).flatMap((names) => [...names]));

  const objects = await render(['ci/production-values.yaml']);
  const rules = byKind(objects, 'PrometheusRule').flatMap((rule) =>
    rule.spec.groups.flatMap((group: { rules: Array<{ expr: string }> }) => group.rules.map((r) => r.expr)),
  );
  const analyses = byKind(objects, 'AnalysisTemplate').flatMap((template) =>
    template.spec.metrics.map((metric: any) => metric.provider.prometheus.query as string),
  );
  const dashboard = JSON.parse(readFileSync(path.join(CHART, 'files/dashboard.json'), 'utf8'));
  const panels = dashboard.panels.flatMap((panel: { targets: Array<{ expr: string }> }) => panel.targets.map((target) => target.expr));
  expect(rules).toHaveLength(8);
  expect(analyses).toHaveLength(4);

  const used = usedMetrics([...rules, ...analyses, ...panels]);
  expect(new Set(used.map((use) => use.metric)).size).toBeGreaterThan(15);
  const missing = used.filter(({ metric, service }) => {
    if (EXTERNAL.has(metric)) return false;
    return service ? !byProcess[service]?.has(metric) : !everywhere.has(metric);
  });
  expect(missing.map(({ metric, service }) => `${metric}${service ? ` (${service})` : ''}`)).toEqual([]);
  // The analyses name their process through an argument: both kinds of metric exist where the Rollouts point them.
  for (const name of ['http_server_requests_total', 'http_server_request_duration_seconds_bucket'])
    expect(byProcess.gateway!.has(name)).toBe(true);
  for (const service of ['content', 'quiz', 'gems', 'media']) {
    for (const name of [
      'grpc_server_handled_total',
      'grpc_server_handling_seconds_bucket',
      'mongodb_reachable',
      'mongodb_pool_checked_out_connections',
      'mongodb_pool_max_connections',
    ]) {
      expect([service, name, byProcess[service]!.has(name)]).toEqual([service, name, true]);
    }
  }
  for (const name of EXTERNAL) expect(everywhere.has(name)).toBe(false);
});
