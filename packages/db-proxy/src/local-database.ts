// The local and test database: FerretDB behind the write-serializing proxy,
// reachable with an ordinary MongoDB URI.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFerretDb } from './ferretdb';
import { freePorts } from './free-port';
import { startWriteSerializingProxy } from './proxy';

export interface LocalDatabaseOptions {
  /** Folder holding the `ferretdb` binary (`bash scripts/build-ferretdb.sh <toolsDir>`). */
  toolsDir: string;
  /** Where the data lives, created if missing and kept on stop. Default: a temporary folder, removed on stop. */
  dataDir?: string;
  /** Port the proxy listens on. Default: a free one. */
  port?: number;
}

export interface LocalDatabase {
  /** A URI for the MongoDB driver, pointing at the proxy. */
  uri: string;
  ferretPort: number;
  proxyPort: number;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  const binary = path.join(options.toolsDir, 'ferretdb');
  if (!fs.existsSync(binary)) {
    throw new Error(`no FerretDB at ${binary}; build it with: bash scripts/build-ferretdb.sh ${options.toolsDir}`);
  }
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ferretdb-'));
  fs.mkdirSync(dataDir, { recursive: true });
  const removeOwnDataDir = (): void => {
    if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };

  let ferret;
  try {
    const [port, debugPort] = (await freePorts(2)) as [number, number];
    ferret = await startFerretDb({ binary, dataDir, port, debugPort });
  } catch (error) {
    removeOwnDataDir();
    throw error;
  }
  let proxy;
  try {
    proxy = await startWriteSerializingProxy({
      upstreamHost: '127.0.0.1',
      upstreamPort: ferret.port,
      listenPort: options.port ?? 0,
    });
  } catch (error) {
    await ferret.stop();
    removeOwnDataDir();
    throw error;
  }

  return {
    // directConnection: the driver must not try to discover a replica set
    // behind the proxy; FerretDB is one standalone server.
    uri: `mongodb://127.0.0.1:${proxy.port}/?directConnection=true`,
    ferretPort: ferret.port,
    proxyPort: proxy.port,
    dataDir,
    stop: async () => {
      await proxy.close();
      await ferret.stop();
      removeOwnDataDir();
    },
  };
}
