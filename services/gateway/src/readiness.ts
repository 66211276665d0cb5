import { healthV1 } from '@testmancer/proto';
import { DATABASE_HEALTH_KEY, unary } from '@testmancer/shared';

export type CheckResult = 'ok' | 'unreachable' | 'not serving' | 'unknown';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

const SERVING = healthV1.HealthCheckResponse_ServingStatus.SERVING;

async function status(client: healthV1.HealthClient, service: string, timeoutMs: number) {
  const response = await unary(client.check.bind(client), { service }, { deadline: Date.now() + timeoutMs });
  return response.status;
}

/**
 * Ready when every service answers SERVING. The database has no client here:
 * the services report it under their `database` health key, and it is named
 * as its own failed dependency when any service cannot reach it.
 */
export async function checkReadiness(
  services: Readonly<Record<string, healthV1.HealthClient>>,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const checks: Record<string, CheckResult> = {};
  let databaseDown = false;
  let databaseSeen = false;
  await Promise.all(
    Object.entries(services).map(async ([name, client]) => {
      try {
        if ((await status(client, '', timeoutMs)) === SERVING) {
          checks[name] = 'ok';
          databaseSeen = true; // a service serves only while it reaches the database
          return;
        }
        checks[name] = 'not serving';
        databaseSeen = true;
        if ((await status(client, DATABASE_HEALTH_KEY, timeoutMs)) !== SERVING) databaseDown = true;
      } catch {
        checks[name] ??= 'unreachable';
      }
    }),
  );
  checks.database = databaseDown ? 'unreachable' : databaseSeen ? 'ok' : 'unknown';
  const ordered = Object.fromEntries(Object.keys(checks).sort().map((k) => [k, checks[k]!]));
  return { ready: Object.values(checks).every((c) => c === 'ok'), checks: ordered };
}
