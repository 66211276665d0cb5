import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import type { Server } from '@grpc/grpc-js';

/**
 * The standard grpc.health.v1 service. '' is the whole process; the database
 * has an entry of its own so that a caller can tell which dependency failed.
 */
export const DATABASE_HEALTH_KEY = 'database';

export class Health {
  private readonly implementation: HealthImplementation;

  constructor(private readonly services: readonly string[]) {
    this.implementation = new HealthImplementation({ '': 'NOT_SERVING', [DATABASE_HEALTH_KEY]: 'UNKNOWN' });
    for (const name of services) this.implementation.setStatus(name, 'NOT_SERVING');
  }

  addTo(server: Server): void {
    this.implementation.addToServer(server);
  }

  setServing(serving: boolean): void {
    const status: ServingStatus = serving ? 'SERVING' : 'NOT_SERVING';
    this.implementation.setStatus('', status);
    for (const name of this.services) this.implementation.setStatus(name, status);
  }

  setDatabase(reachable: boolean): void {
    this.implementation.setStatus(DATABASE_HEALTH_KEY, reachable ? 'SERVING' : 'NOT_SERVING');
  }
}
