import path from 'node:path';
import { startPlatform, type Platform, type PlatformOptions } from '@testmancer/local-platform';

export interface OwnPlatformOptions {
  /** Extra variables for every process. */
  env?: Record<string, string>;
  /**
   * A local database of its own even when the run uses MONGODB_URI: for a
   * test that stops the database, which it cannot do to someone else's.
   */
  ownDatabase?: boolean;
  /** The web interfaces, and the local OpenID provider they sign in through. */
  web?: PlatformOptions['web'];
  identity?: PlatformOptions['identity'];
}

/**
 * A platform of the test's own, for tests that break things (stop a service,
 * the database) or load it heavily: the shared instance stays untouched for
 * the other tests. It uses the run's database (MONGODB_URI, or a local one).
 */
export function ownPlatform(name: string, { env = {}, ownDatabase = false, web, identity }: OwnPlatformOptions = {}): Promise<Platform> {
  const rootDir = path.resolve(__dirname, '../..');
  const sharedUri = ownDatabase ? undefined : process.env.MONGODB_URI;
  return startPlatform({
    rootDir,
    logDir: path.join(rootDir, '.local', 'test-logs', name),
    ...(sharedUri ? { mongodbUri: sharedUri } : {}),
    databaseDurability: 'relaxed',
    dbName: `fault_${name}_${Date.now().toString(36)}`,
    env: { LOG_LEVEL: 'warn', READY_TIMEOUT_MS: '500', ...env },
    ...(web ? { web } : {}),
    ...(identity ? { identity } : {}),
  });
}

/** Polls until `check` holds, or fails after `timeoutMs` with the last value seen. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs: number,
): Promise<{ value: T; afterMs: number }> {
  const started = Date.now();
  let value = await read();
  while (!check(value)) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return { value, afterMs: Date.now() - started };
}
