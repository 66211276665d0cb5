import { healthV1 } from '@testmancer/proto';
import { DATABASE_HEALTH_KEY, Status } from '@testmancer/shared';
import type { HealthClient } from './clients';

export type CheckResult = 'ok' | 'unreachable' | 'not serving' | 'unknown';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

const SERVING = healthV1.HealthCheckResponse_ServingStatus.SERVING;

async function status(client: HealthClient, service: string, timeoutMs: number) {
  const response = await client.check({ service }, { deadline: timeoutMs });
  return response.status;
}

/**
 * A service whose health check runs past its deadline is busy, not gone:
 * under load a probe that failed on one slow answer took the gateway out of
 * service just when it was needed (13 of 57 probes answered 503 during a
 * 1,000-user run). It is reported unreachable after this many slow checks in
 * a row; a refused connection or NOT_SERVING counts at once.
 */
export const SLOW_CHECKS_BEFORE_DOWN = 3;

interface ServiceState {
  result: CheckResult;
  /** What it said of the database, when it said it was not serving. */
  databaseDown: boolean;
}

const UNREACHABLE: ServiceState = { result: 'unreachable', databaseDown: false };

/**
 * Ready when every service answers SERVING. The database has no client here:
 * the services report it under their `database` health key, and it is named
 * as its own failed dependency when any service cannot reach it. Each call
 * checks every service; the checker remembers each one's last answer and
 * how many checks in a row ran past `timeoutMs`.
 */
export function readinessChecker(services: Readonly<Record<string, HealthClient>>, timeoutMs: number): () => Promise<ReadinessReport> {
  const last = new Map<string, ServiceState>();
  const slowInARow = new Map<string, number>();

  const ask = async (client: HealthClient): Promise<ServiceState | 'slow'> => {
    try {
      if ((await status(client, '', timeoutMs)) === SERVING) return { result: 'ok', databaseDown: false };
      return { result: 'not serving', databaseDown: (await status(client, DATABASE_HEALTH_KEY, timeoutMs)) !== SERVING };
    } catch (error) {
      return (error as { code?: number }).code === Status.DEADLINE_EXCEEDED ? 'slow' : UNREACHABLE;
    }
  };

  return async () => {
    const states = await Promise.all(
      Object.entries(services).map(async ([name, client]) => {
        const answer = await ask(client);
        const slowChecks = answer === 'slow' ? (slowInARow.get(name) ?? 0) + 1 : 0;
        slowInARow.set(name, slowChecks);
        const previous = last.get(name);
        const state = answer !== 'slow' ? answer : slowChecks < SLOW_CHECKS_BEFORE_DOWN && previous ? previous : UNREACHABLE;
        last.set(name, state);
        return [name, state] as const;
      }),
    );
    const checks: Record<string, CheckResult> = Object.fromEntries(states.map(([name, state]) => [name, state.result]));
    // A service answers only while it reaches the database; one that answered says so.
    const databaseSeen = states.some(([, state]) => state.result !== 'unreachable');
    const databaseDown = states.some(([, state]) => state.databaseDown);
    checks.database = databaseDown ? 'unreachable' : databaseSeen ? 'ok' : 'unknown';
    const ordered = Object.fromEntries(
      Object.keys(checks)
        .sort()
        .map((k) => [k, checks[k]!]),
    );
    return { ready: Object.values(checks).every((c) => c === 'ok'), checks: ordered };
  };
}
