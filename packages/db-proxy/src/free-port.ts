import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Listening ports are drawn below Linux's ephemeral range (32768–60999), where
 * the kernel also picks the local ports of outgoing connections: a port taken
 * from that range (listen on 0) and released could be handed to a client
 * socket before our process binds it, which made start-ups fail now and then
 * with EADDRINUSE under the tests' traffic.
 */
const FIRST_PORT = 20_000;
const LAST_PORT = 32_767;

function tryListen(port: number, host: string): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => resolve(server));
  });
}

/**
 * Between finding a port free and binding it, a process of ours starts, which
 * takes seconds; another test worker drawing at the same time could pick the
 * same port (seen in CI: a gateway's EADDRINUSE). So a port handed out is
 * claimed in a directory every process on the machine shares, for a window
 * far longer than any start-up; a claim of this window or the last one keeps
 * the port from being handed out again. Claims of older windows are removed
 * by whoever sees them, which nobody reads any more.
 */
const CLAIMS_DIR = path.join(os.tmpdir(), 'testmancer-port-claims');
const CLAIM_WINDOW_MS = 5 * 60_000;

function claim(port: number): boolean {
  const window = Math.floor(Date.now() / CLAIM_WINDOW_MS);
  const claimOf = (w: number) => path.join(CLAIMS_DIR, `${port}-${w}`);
  if (existsSync(claimOf(window - 1))) return false;
  try {
    writeFileSync(claimOf(window), String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}

function removeOldClaims(): void {
  const window = Math.floor(Date.now() / CLAIM_WINDOW_MS);
  for (const name of readdirSync(CLAIMS_DIR)) {
    if (Number(name.split('-')[1]) < window - 1) rmSync(path.join(CLAIMS_DIR, name), { force: true });
  }
}

/**
 * TCP ports that were free a moment ago and that no process of this machine
 * has been handed in the last minutes, all different: each is held by a
 * listener until every one is found. A process from elsewhere may still take
 * one before the caller binds it.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const held = new Map<number, net.Server>();
  mkdirSync(CLAIMS_DIR, { recursive: true });
  removeOldClaims();
  try {
    for (let tries = 0; held.size < count; tries += 1) {
      if (tries > 10_000) throw new Error(`no ${count} free ports between ${FIRST_PORT} and ${LAST_PORT}`);
      const port = FIRST_PORT + Math.floor(Math.random() * (LAST_PORT - FIRST_PORT + 1));
      if (held.has(port)) continue;
      const server = await tryListen(port, host);
      if (!server) continue;
      if (claim(port)) held.set(port, server);
      else await new Promise((resolve) => server.close(resolve));
    }
    return [...held.keys()];
  } finally {
    await Promise.all([...held.values()].map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const [port] = await freePorts(1, host);
  return port!;
}
