import type { Metrics } from '@testmancer/shared';
import { Counter } from 'prom-client';

export function createGemsMetrics(metrics: Metrics) {
  return {
    gemsGranted: new Counter({
      name: 'gems_granted_total',
      help: 'Gems added to balances by new grants (repeats of a key add nothing).',
      registers: [metrics.registry],
    }),
    grants: new Counter({
      name: 'gems_grants_total',
      help: 'GrantGems calls that recorded a grant, by result: granted (new key) or duplicate (key seen before).',
      labelNames: ['result'] as const,
      registers: [metrics.registry],
    }),
  };
}

export type GemsMetrics = ReturnType<typeof createGemsMetrics>;
