import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startLocalDatabase, type Durability, type LocalDatabase, type WriteTimes } from '@testmancer/db-proxy';
import {
  DEV_JWT_SECRET,
  loadServiceKeys,
  newServiceKeyPair,
  SERVICE_NAMES,
  ServiceIdentity,
  type ServiceName as CallerName,
} from '@testmancer/shared';
import { clientIdOf, LOCAL_AUDIENCE, startIdentityProvider, type IdentityOptions, type LocalAccount } from './identity';
import { ManagedProcess, waitForHttp, waitForPort } from './managed-process';
import { startWebServer, WEB_APPS, type WebApp } from './web';

export const SERVICES = ['content', 'quiz', 'gems', 'media'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The flag variables of the rollout guide, passed through from the caller's environment. */
export const FLAG_VARIABLES = ['STRUCTURED_COURSES_ENABLED', 'PAGE_QUIZZES_ENABLED', 'USE_MODULES_TERMINOLOGY'] as const;

export interface ServiceKeyring {
  readonly privateKeys: Readonly<Record<CallerName, string>>;
  /** JSON: service name → SPKI PEM. */
  readonly publicKeys: string;
}

/** Fresh keys for every process of a platform. */
export function newServiceKeyring(): ServiceKeyring {
  const pairs = SERVICE_NAMES.map((name) => [name, newServiceKeyPair()] as const);
  return {
    privateKeys: Object.fromEntries(pairs.map(([name, pair]) => [name, pair.privateKey])) as Record<CallerName, string>,
    publicKeys: JSON.stringify(Object.fromEntries(pairs.map(([name, pair]) => [name, pair.publicKey]))),
  };
}

export const keysOf = (keyring: ServiceKeyring, name: CallerName) => ({
  SERVICE_KEY: keyring.privateKeys[name],
  SERVICE_PUBLIC_KEYS: keyring.publicKeys,
});

export interface PlatformOptions {
  /** Root of the repository (services are run from their built `dist/`). */
  rootDir: string;
  /** Where each process writes its log. */
  logDir: string;
  /** A MongoDB to use instead of starting the local one (PostgreSQL, FerretDB, the write-serializing proxy). */
  mongodbUri?: string;
  /** The local database's durability: `relaxed` for tests only (default `full`). */
  databaseDurability?: Durability;
  dbName?: string;
  gatewayHost?: string;
  gatewayPort?: number;
  /** Extra variables for every process (flags, limits, log level). */
  env?: Record<string, string>;
  /** Node options for every service and the gateway that NODE_OPTIONS does not take, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
  /** Also serve the built web interfaces (web/dist), each by its own static server forwarding /api to the gateway. */
  web?: { host?: string; adminPort?: number; studentPort?: number };
  /**
   * People sign in to the web interfaces through the local OpenID provider
   * (packages/local-oidc), which the gateway trusts besides the development
   * secret. The provider starts with `startIdentityProvider(accounts)`.
   */
  identity?: Partial<IdentityOptions>;
}

export interface Platform {
  gatewayUrl: string;
  mongodbUri: string;
  /** The local database's PostgreSQL (for psql and EXPLAIN); undefined with MONGODB_URI. */
  postgresUrl: string | undefined;
  dbName: string;
  jwtSecret: string;
  /** Each process's private key (PEM) and every public key (SERVICE_PUBLIC_KEYS): made for this platform, never the development ones. */
  serviceKeys: ServiceKeyring;
  /** A process's key as its environment takes it: for a process started beside the platform (a second gateway). */
  keysFor(name: CallerName): { SERVICE_KEY: string; SERVICE_PUBLIC_KEYS: string };
  /** A process's identity, for a test that calls a service as that process would. */
  identity(name: CallerName): ServiceIdentity;
  addresses: Record<ServiceName, string>;
  /** Where Prometheus would scrape each process (the gateway serves /metrics on its HTTP port). */
  metricsUrls: Record<ServiceName | 'gateway', string>;
  /** Where each web interface opens, with `web` set. */
  webUrls: Record<WebApp, string> | undefined;
  /** The local OpenID provider's issuer, with `identity` set. */
  issuer: string | undefined;
  /** Starts the local OpenID provider with these accounts (with `identity` and `web` set), or restarts it. */
  startIdentityProvider(accounts: readonly LocalAccount[]): Promise<void>;
  logDir: string;
  /** The media service's local storage; uploads are staged in its `.staging`. */
  mediaDir: string;
  stopProcess(name: ServiceName | 'gateway', signal?: NodeJS.Signals): Promise<number | null>;
  /** Starts a stopped process again and waits until it listens (the gateway: until /ready). */
  startProcess(name: ServiceName | 'gateway'): Promise<void>;
  /** Freezes a process (SIGSTOP): it keeps its connections and answers nothing, as an overloaded one; resumeProcess thaws it. */
  pauseProcess(name: ServiceName | 'gateway'): void;
  /** Process ids of the services and the gateway that run now (for measuring them). */
  pids(): Partial<Record<ServiceName | 'gateway', number>>;
  resumeProcess(name: ServiceName | 'gateway'): void;
  /** The local database's writes so far, per command, with their time queued and running in the proxy; undefined with MONGODB_URI. */
  writeStats(): Record<string, WriteTimes> | undefined;
  /** Every command the local database's proxy has passed so far (reads and writes, no handshakes), by name; undefined with MONGODB_URI. */
  commandStats(): Record<string, number> | undefined;
  /** The local database only: stop it, and start it again on the same port with the same data. */
  stopDatabase(): Promise<void>;
  startDatabase(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  mkdirSync(options.logDir, { recursive: true });
  const toolsDir = path.join(options.rootDir, '.tools');
  const dataDir = options.mongodbUri ? undefined : mkdtempSync(path.join(os.tmpdir(), 'testmancer-db-'));
  const durability = options.databaseDurability ?? 'full';
  let database: LocalDatabase | undefined = dataDir ? await startLocalDatabase({ toolsDir, dataDir, durability }) : undefined;
  const databasePort = database?.proxyPort;
  const mongodbUri = options.mongodbUri ?? database!.uri;
  const stopDatabase = async () => {
    await database?.stop();
    database = undefined;
  };
  // The local media provider's files, gone with the platform as its database is.
  const mediaDir = mkdtempSync(path.join(os.tmpdir(), 'testmancer-media-'));
  const removeData = () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    rmSync(mediaDir, { recursive: true, force: true });
  };
  const dbName = options.dbName ?? 'testmancer';
  const processes = new Map<ServiceName | 'gateway', { process: ManagedProcess; ready: () => Promise<void> }>();
  const webProcesses: ManagedProcess[] = [];
  let identityProcess: ManagedProcess | undefined;

  try {
    const ports = Object.fromEntries(
      await Promise.all(SERVICES.map(async (name) => [name, { grpc: await freePort(), metrics: await freePort() }] as const)),
    ) as Record<ServiceName, { grpc: number; metrics: number }>;
    const addresses = Object.fromEntries(SERVICES.map((name) => [name, `127.0.0.1:${ports[name].grpc}`])) as Record<ServiceName, string>;
    const gatewayHost = options.gatewayHost ?? '127.0.0.1';
    const gatewayPort = options.gatewayPort ?? (await freePort());
    const gatewayUrl = `http://${gatewayHost === '0.0.0.0' ? '127.0.0.1' : gatewayHost}:${gatewayPort}`;
    const identity = options.identity && { ...options.identity, port: options.identity.port ?? (await freePort()) };
    const issuer = identity && `http://${identity.issuerHost ?? '127.0.0.1'}:${identity.port}`;
    const trustProvider = identity
      ? { JWKS_URL: `http://127.0.0.1:${identity.port}/jwks`, JWT_ISSUER: issuer!, JWT_AUDIENCE: LOCAL_AUDIENCE }
      : {};

    const keyring = newServiceKeyring();
    const common: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      MONGODB_URI: mongodbUri,
      MONGODB_DB: dbName,
      // Every service's address to every process, as `<NAME>_ADDR`: a name added to SERVICES reaches the others by itself.
      ...Object.fromEntries(SERVICES.map((name) => [`${name.toUpperCase()}_ADDR`, addresses[name]])),
      JWT_SECRET: DEV_JWT_SECRET,
      // The local database serializes writes and scans on any filter but `_id`
      // (docs/architecture.md): bursts take longer than the production deadline allows.
      GRPC_DEADLINE_MS: '10000',
      MEDIA_LOCAL_DIR: mediaDir,
      ...options.env,
    };
    const entry = (name: string) => path.join(options.rootDir, 'services', name, 'dist', 'main.js');
    const log = (name: string) => path.join(options.logDir, `${name}.log`);

    for (const name of SERVICES) {
      const env = {
        ...common,
        ...keysOf(keyring, name),
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(ports[name].grpc),
        METRICS_PORT: String(ports[name].metrics),
      };
      const managed = new ManagedProcess(name, process.execPath, [...(options.nodeArgs ?? []), entry(name)], env, log(name));
      processes.set(name, { process: managed, ready: () => managed.exitedBefore(waitForPort(ports[name].grpc)) });
    }
    const gateway = new ManagedProcess(
      'gateway',
      process.execPath,
      [...(options.nodeArgs ?? []), entry('gateway')],
      { ...common, ...keysOf(keyring, 'gateway'), ...trustProvider, HTTP_HOST: gatewayHost, HTTP_PORT: String(gatewayPort) },
      log('gateway'),
    );
    processes.set('gateway', { process: gateway, ready: () => gateway.exitedBefore(waitForHttp(`${gatewayUrl}/ready`)) });

    const startWeb = async (web: NonNullable<PlatformOptions['web']>): Promise<Record<WebApp, string>> => {
      const urls = {} as Record<WebApp, string>;
      for (const app of Object.keys(WEB_APPS) as WebApp[]) {
        const port = app === 'admin' ? web.adminPort : web.studentPort;
        const server = await startWebServer({
          rootDir: options.rootDir,
          app,
          apiUpstream: gatewayUrl,
          name: `${app}-web`,
          logDir: options.logDir,
          ...(web.host ? { host: web.host } : {}),
          ...(port ? { port } : {}),
          ...(issuer ? { oidc: { issuer, clientId: clientIdOf(app) } } : {}),
        });
        webProcesses.push(server.process);
        urls[app] = server.url;
      }
      return urls;
    };
    const start = async (name: ServiceName | 'gateway') => {
      const entry = processes.get(name)!;
      await entry.process.start();
      await entry.ready();
    };
    await Promise.all(SERVICES.map(start));
    await start('gateway');
    const webUrls = options.web ? await startWeb(options.web) : undefined;

    return {
      gatewayUrl,
      mongodbUri,
      postgresUrl: database?.postgresUrl,
      dbName,
      jwtSecret: DEV_JWT_SECRET,
      serviceKeys: keyring,
      keysFor: (name) => keysOf(keyring, name),
      identity: (name) => new ServiceIdentity(name, loadServiceKeys(name, keysOf(keyring, name))),
      addresses,
      metricsUrls: {
        ...(Object.fromEntries(SERVICES.map((name) => [name, `http://127.0.0.1:${ports[name].metrics}/metrics`])) as Record<
          ServiceName,
          string
        >),
        gateway: `${gatewayUrl}/metrics`,
      },
      logDir: options.logDir,
      mediaDir,
      webUrls,
      issuer,
      async startIdentityProvider(accounts) {
        if (!identity || !webUrls) throw new Error('the platform was started without `identity` and `web`');
        await identityProcess?.stop();
        identityProcess = await startIdentityProvider({
          ...identity,
          rootDir: options.rootDir,
          logDir: options.logDir,
          issuer: issuer!,
          accounts,
          webUrls,
        });
      },
      stopProcess: (name, signal) => processes.get(name)!.process.stop(signal),
      startProcess: start,
      pauseProcess: (name) => void processes.get(name)!.process.signal('SIGSTOP'),
      pids: () =>
        Object.fromEntries([...processes].flatMap(([name, entry]) => (entry.process.pid === undefined ? [] : [[name, entry.process.pid]]))),
      resumeProcess: (name) => void processes.get(name)!.process.signal('SIGCONT'),
      writeStats: () => database?.proxy.stats.writes,
      commandStats: () => database?.proxy.stats.commands,
      stopDatabase,
      async startDatabase() {
        if (!dataDir) throw new Error('the platform uses MONGODB_URI; it has no local database to start');
        database ??= await startLocalDatabase({ toolsDir, dataDir, durability, ...(databasePort ? { port: databasePort } : {}) });
      },
      async stop() {
        await Promise.all([...webProcesses, ...(identityProcess ? [identityProcess] : [])].map((server) => server.stop()));
        await processes.get('gateway')!.process.stop();
        await Promise.all(SERVICES.map((name) => processes.get(name)!.process.stop()));
        await stopDatabase();
        removeData();
      },
    };
  } catch (error) {
    await Promise.all([...processes.values()].map(({ process }) => process.stop('SIGKILL')));
    await Promise.all(webProcesses.map((server) => server.stop('SIGKILL')));
    await stopDatabase();
    removeData();
    throw error;
  }
}
