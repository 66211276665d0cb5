import path from 'node:path';
import { startPlatform, type Platform } from '@testmancer/local-platform';

/**
 * A platform of the test's own, for tests that break things (stop a service,
 * the database): the shared instance stays untouched for the other tests.
 */
export function ownPlatform(name: string, env: Record<string, string> = {}): Promise<Platform> {
  const rootDir = path.resolve(__dirname, '../..');
  return startPlatform({
    rootDir,
    logDir: path.join(rootDir, '.local', 'test-logs', name),
    ...(process.env.TEST_MONGODB_URI_FOR_FAULTS ? { mongodbUri: process.env.TEST_MONGODB_URI_FOR_FAULTS } : {}),
    dbName: `fault_${name}_${Date.now().toString(36)}`,
    env: { LOG_LEVEL: 'warn', READY_TIMEOUT_MS: '500', ...env },
  });
}

/** Polls until `check` holds, or fails after `timeoutMs` with the last value seen. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs: number): Promise<{ value: T; afterMs: number }> {
  const started = Date.now();
  let value = await read();
  while (!check(value)) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return { value, afterMs: Date.now() - started };
}
