import { EventEmitter } from 'node:events';
import type { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { instrumentMongoClient } from '../src/mongo';

// The inputs of the DatabaseConnectionIssues and DatabaseConnectionPoolHigh alerts.
async function value(registry: Registry, name: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  if (!metric) throw new Error(`${name} is not registered`);
  return (metric.values as Array<{ value: number }>)[0]!.value;
}

test('pool use follows the driver pool events; reachability is what the health watcher says', async () => {
  const registry = new Registry();
  const client = new EventEmitter();
  const setReachable = instrumentMongoClient(client as unknown as MongoClient, registry, 50);
  expect(await value(registry, 'mongodb_pool_max_connections')).toBe(50);
  expect(await value(registry, 'mongodb_reachable')).toBe(1);
  for (let i = 0; i < 3; i++) client.emit('connectionCheckedOut');
  client.emit('connectionCheckedIn');
  expect(await value(registry, 'mongodb_pool_checked_out_connections')).toBe(2);
  setReachable(false);
  expect(await value(registry, 'mongodb_reachable')).toBe(0);
  setReachable(true);
  expect(await value(registry, 'mongodb_reachable')).toBe(1);
});
