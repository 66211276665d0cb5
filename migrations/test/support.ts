// Helpers of the migration tests: the commands as real processes, and a whole-database dump to compare.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { BSON, MongoClient, type Db } from 'mongodb';

export const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'migrations/dist/cli.js');
export const STATE_COLLECTIONS = ['migrations_applied', 'migration_runs', 'migration_lock', 'migration_backups'];

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  json: any;
}

export function startCli(
  uri: string,
  dbName: string,
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args, '--no-progress'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: uri, MONGODB_DB: dbName, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      let json: unknown;
      if (args.includes('--json')) {
        try {
          json = JSON.parse(stdout);
        } catch {
          json = undefined;
        }
      }
      resolve({ code, signal, stdout, stderr, json });
    });
  });
  return { child, done };
}

export const cli = (uri: string, dbName: string, args: string[], env?: Record<string, string>) => startCli(uri, dbName, args, env).done;

/**
 * Every document of every collection as its exact BSON bytes (types and
 * field order included), by collection, sorted by _id. Empty collections are
 * left out (a dropped and an empty collection hold the same data).
 */
export async function dump(db: Db, { withState = false }: { withState?: boolean } = {}): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  for (const name of names) {
    if (!withState && STATE_COLLECTIONS.includes(name)) continue;
    const docs: string[] = [];
    for await (const raw of db.collection(name).find({}, { raw: true }))
      docs.push(Buffer.from(raw as unknown as Uint8Array).toString('base64'));
    if (docs.length) out[name] = docs.sort();
  }
  return out;
}

/** The first difference between two dumps, for a readable failure. */
export function firstDifference(a: Record<string, string[]>, b: Record<string, string[]>): string | undefined {
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[name] ?? [];
    const y = b[name] ?? [];
    if (x.length !== y.length) return `${name}: ${x.length} vs ${y.length} documents`;
    for (let i = 0; i < x.length; i++) {
      if (x[i] !== y[i]) {
        const show = (s: string) =>
          JSON.stringify(BSON.EJSON.serialize(BSON.deserialize(Buffer.from(s, 'base64'), { promoteValues: false })));
        return `${name}: ${show(x[i]!)}\n   vs ${show(y[i]!)}`;
      }
    }
  }
  return undefined;
}

export async function client(uri: string): Promise<MongoClient> {
  return MongoClient.connect(uri);
}

export async function until<T>(read: () => Promise<T | undefined | null>, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
