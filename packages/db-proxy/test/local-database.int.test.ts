// The launcher and the CLI, as the rest of the platform uses them.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { MongoClient } from 'mongodb';
import { startFerretDb } from '../src/ferretdb';
import { freePort } from '../src/free-port';
import { startLocalDatabase } from '../src/local-database';
import { startPostgres, withClient } from '../src/postgres';
import { BUILD_TIMEOUT_MS, ensureFerretDb, repoRoot, toolsDir, within } from './helpers';

let binary: string;

beforeAll(() => {
  binary = ensureFerretDb();
}, BUILD_TIMEOUT_MS);

async function roundTrip(uri: string): Promise<unknown> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  try {
    const notes = client.db('launcher').collection<{ _id: string; text: string }>('notes');
    await notes.replaceOne({ _id: 'n' }, { text: 'hello' }, { upsert: true });
    return await notes.findOne({ _id: 'n' });
  } finally {
    await client.close();
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('startLocalDatabase serves a MongoDB URI and stop() removes its temporary data', async () => {
  const database = await startLocalDatabase({ toolsDir });
  try {
    expect(database.uri).toBe(`mongodb://127.0.0.1:${database.proxyPort}/?directConnection=true`);
    expect(await roundTrip(database.uri)).toEqual({ _id: 'n', text: 'hello' });
    expect(fs.existsSync(database.dataDir)).toBe(true);
  } finally {
    await database.stop();
  }
  expect(fs.existsSync(database.dataDir)).toBe(false);
  expect(await accepts(database.ferretPort)).toBe(false);
  expect(await accepts(database.proxyPort)).toBe(false);
});

test('a given data directory is kept, with its data, across restarts', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-proxy-kept-'));
  try {
    const first = await startLocalDatabase({ toolsDir, dataDir });
    await roundTrip(first.uri).finally(() => first.stop());
    expect(fs.existsSync(dataDir)).toBe(true);

    const second = await startLocalDatabase({ toolsDir, dataDir });
    const client = new MongoClient(second.uri);
    try {
      expect(await client.db('launcher').collection('notes').countDocuments()).toBe(1);
    } finally {
      await client.close();
      await second.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('LOCAL_PG_URL: an existing PostgreSQL server is used instead of a private cluster, one database per data folder', async () => {
  const serverDir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-proxy-server-'));
  const server = await startPostgres({
    clusterDir: path.join(serverDir, 'cluster'),
    port: await freePort(),
    durability: 'relaxed',
    maxConnections: 200,
  });
  const adminUrl = server.url.replace(/\/ferretdb$/, '/postgres');
  const databases = () =>
    withClient(adminUrl, async (client) =>
      (await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'ferretdb\\_%'`)).rows.map(
        (row) => row.datname,
      ),
    );
  try {
    const [first, second] = await Promise.all([
      startLocalDatabase({ toolsDir, postgresUrl: adminUrl }),
      startLocalDatabase({ toolsDir, postgresUrl: adminUrl }),
    ]);
    try {
      expect(fs.existsSync(path.join(first.dataDir, 'postgresql'))).toBe(false);
      expect(new URL(first.postgresUrl).port).toBe(String(server.port));
      expect(first.postgresUrl).not.toBe(second.postgresUrl);
      expect(await roundTrip(first.uri)).toEqual({ _id: 'n', text: 'hello' });
      expect(await roundTrip(second.uri)).toEqual({ _id: 'n', text: 'hello' });
      expect(await databases()).toHaveLength(2);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    // Temporary data folders: their databases go with them.
    expect(await databases()).toEqual([]);
  } finally {
    await server.stop();
    fs.rmSync(serverDir, { recursive: true, force: true });
  }
}, 60_000);

test('a private cluster keeps full durability for a given data folder and relaxes it for a temporary one', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-proxy-durable-'));
  const fsyncOf = (url: string) => withClient(url, async (client) => (await client.query<{ fsync: string }>('SHOW fsync')).rows[0]!.fsync);
  // About private clusters: a run on a shared server (LOCAL_PG_URL) starts them here all the same.
  const sharedServer = process.env.LOCAL_PG_URL;
  delete process.env.LOCAL_PG_URL;
  try {
    const durable = await startLocalDatabase({ toolsDir, dataDir });
    const temporary = await startLocalDatabase({ toolsDir });
    try {
      expect(await fsyncOf(durable.postgresUrl)).toBe('on');
      expect(await fsyncOf(temporary.postgresUrl)).toBe('off');
    } finally {
      await Promise.all([durable.stop(), temporary.stop()]);
    }
  } finally {
    if (sharedServer !== undefined) process.env.LOCAL_PG_URL = sharedServer;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);

test('startLocalDatabase says how to build FerretDB when it is missing', async () => {
  const emptyTools = fs.mkdtempSync(path.join(os.tmpdir(), 'db-proxy-no-tools-'));
  try {
    await expect(startLocalDatabase({ toolsDir: emptyTools })).rejects.toThrow(/scripts\/build-ferretdb\.sh/);
  } finally {
    fs.rmSync(emptyTools, { recursive: true, force: true });
  }
});

test("startFerretDb fails with FerretDB's own words when another process holds its port", async () => {
  const squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-proxy-squatted-'));
  try {
    const port = (squatter.address() as net.AddressInfo).port;
    await expect(
      startFerretDb({
        binary,
        postgresqlUrl: 'postgres://postgres@127.0.0.1:1/ferretdb',
        stateDir: dataDir,
        poolSize: 4,
        port,
        debugPort: await freePort(),
      }),
    ).rejects.toThrow(/exited during start-up[\s\S]*address already in use/);
  } finally {
    squatter.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('the CLI prints MONGODB_URI and stops cleanly on SIGTERM', async () => {
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', path.join(repoRoot, 'packages/db-proxy')]);
  const cli = spawn(process.execPath, ['packages/db-proxy/dist/cli.js', '--tools', '.tools'], { cwd: repoRoot });
  let stderr = '';
  cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
  try {
    const uri = await within(
      30_000,
      'the CLI prints MONGODB_URI',
      new Promise<string>((resolve, reject) => {
        let stdout = '';
        cli.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /^MONGODB_URI=(\S+)$/m.exec(stdout);
          if (match) resolve(match[1]!);
        });
        void exited.then((code) => reject(new Error(`the CLI exited with ${code}: ${stderr}`)));
      }),
    );
    expect(await roundTrip(uri)).toEqual({ _id: 'n', text: 'hello' });
  } finally {
    cli.kill('SIGTERM');
  }
  expect(await within(15_000, 'the CLI exits', exited)).toBe(0);
}, 60_000);
