import path from 'node:path';
import { freePort } from '@testmancer/db-proxy';
import { ManagedProcess, waitForHttp } from './managed-process';

/** The web interfaces and the path each is mounted at (as the chart's Ingress mounts them). */
export const WEB_APPS = { admin: '/admin', student: '/' } as const;
export type WebApp = keyof typeof WEB_APPS;

export interface WebServerSpec {
  rootDir: string;
  app: WebApp;
  /** The gateway the server forwards /api to. */
  apiUpstream: string;
  /** Names the process and its log file (`<name>.log` in logDir). */
  name: string;
  logDir: string;
  host?: string;
  port?: number;
  /** The OpenID provider people sign in through, and this interface's client id there. */
  oidc?: { issuer: string; clientId: string };
}

export interface RunningWebServer {
  /** Where the interface opens. */
  url: string;
  process: ManagedProcess;
}

/** One built interface (web/dist/<app>) served by web/server, forwarding /api; resolves once it answers. */
export async function startWebServer(spec: WebServerSpec): Promise<RunningWebServer> {
  const host = spec.host ?? '127.0.0.1';
  const port = spec.port ?? (await freePort());
  const base = WEB_APPS[spec.app];
  const server = new ManagedProcess(
    spec.name,
    process.execPath,
    [path.join(spec.rootDir, 'web', 'server', 'dist', 'main.js')],
    {
      PATH: process.env.PATH,
      WEB_ROOT: path.join(spec.rootDir, 'web', 'dist', spec.app),
      BASE_PATH: base,
      HOST: host,
      PORT: String(port),
      API_UPSTREAM: spec.apiUpstream,
      ...(spec.oidc ? { OIDC_ISSUER: spec.oidc.issuer, OIDC_CLIENT_ID: spec.oidc.clientId } : {}),
    },
    path.join(spec.logDir, `${spec.name}.log`),
  );
  await server.start();
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}${base === '/' ? '/' : `${base}/`}`;
  try {
    await server.exitedBefore(waitForHttp(url));
  } catch (error) {
    await server.stop('SIGKILL');
    throw error;
  }
  return { url, process: server };
}
