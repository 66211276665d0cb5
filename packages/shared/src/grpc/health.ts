import { healthV1 } from '@testmancer/proto';
import { ServerError, Status, type ServiceImplementation } from 'nice-grpc';

type ServingStatus = healthV1.HealthCheckResponse_ServingStatus;
const { SERVING, NOT_SERVING, UNKNOWN, SERVICE_UNKNOWN } = healthV1.HealthCheckResponse_ServingStatus;

/**
 * The standard grpc.health.v1 service. '' is the whole process; the database
 * has an entry of its own so that a caller can tell which dependency failed.
 * Open to any caller: probes and the gateway's readiness carry no
 * credentials, and a status tells nothing worth guarding.
 */
export const DATABASE_HEALTH_KEY = 'database';

export class Health {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly watchers = new Set<() => void>();

  constructor(private readonly services: readonly string[]) {
    this.statuses.set('', NOT_SERVING);
    this.statuses.set(DATABASE_HEALTH_KEY, UNKNOWN);
    for (const name of services) this.statuses.set(name, NOT_SERVING);
  }

  setServing(serving: boolean): void {
    const status = serving ? SERVING : NOT_SERVING;
    for (const name of ['', ...this.services]) this.statuses.set(name, status);
    this.changed();
  }

  setDatabase(reachable: boolean): void {
    this.statuses.set(DATABASE_HEALTH_KEY, reachable ? SERVING : NOT_SERVING);
    this.changed();
  }

  private changed(): void {
    for (const wake of this.watchers) wake();
  }

  readonly implementation: ServiceImplementation<typeof healthV1.HealthService> = {
    check: (request) => {
      const status = this.statuses.get(request.service);
      if (status === undefined) throw new ServerError(Status.NOT_FOUND, `unknown service ${request.service}`);
      return Promise.resolve({ status });
    },
    watch: (request, context) => this.watch(request.service, context.signal),
    list: () => Promise.resolve({ statuses: Object.fromEntries([...this.statuses].map(([name, status]) => [name, { status }])) }),
  };

  /** The service's status now, then each change, until the watcher leaves. */
  private async *watch(service: string, signal: AbortSignal): AsyncGenerator<healthV1.HealthCheckResponse> {
    let last: ServingStatus | undefined;
    while (!signal.aborted) {
      const status = this.statuses.get(service) ?? SERVICE_UNKNOWN;
      if (status !== last) yield { status };
      last = status;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.watchers.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.watchers.add(wake);
        signal.addEventListener('abort', wake);
      });
    }
  }
}
