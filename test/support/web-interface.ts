import path from 'node:path';
import { startWebServer } from '@testmancer/local-platform';
import { startGateway, type Upstream } from './gateway';

export type WebApp = 'admin' | 'student';

export interface WebInterface {
  url: string;
  stop(): Promise<void>;
}

/** The built interface `app` served by its own static server in front of `gatewayUrl` (a gateway with other flags, or a platform's own). */
export async function webFor(app: WebApp, name: string, gatewayUrl: string): Promise<WebInterface> {
  const rootDir = path.resolve(__dirname, '../..');
  const server = await startWebServer({
    rootDir,
    app,
    apiUpstream: gatewayUrl,
    name: `${app}-web-${name}`,
    logDir: path.join(rootDir, '.local', 'test-logs'),
  });
  return { url: server.url, stop: async () => void (await server.process.stop()) };
}

export interface FlaggedInterface extends WebInterface {
  /** The gateway it talks to, for asking it what a user's flags are. */
  gatewayUrl: string;
}

/**
 * The interface `app` in front of a gateway of its own with these flags, before
 * running services (the jest platform's, or `upstream`'s); `stop` stops both.
 */
export async function interfaceWith(
  app: WebApp,
  name: string,
  flags: Record<string, string>,
  upstream?: Upstream,
): Promise<FlaggedInterface> {
  const gateway = await startGateway(`${app}-${name}`, flags, upstream);
  try {
    const web = await webFor(app, name, gateway.url);
    return { url: web.url, gatewayUrl: gateway.url, stop: async () => void (await Promise.all([web.stop(), gateway.stop()])) };
  } catch (error) {
    await gateway.stop();
    throw error;
  }
}
