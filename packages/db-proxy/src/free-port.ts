import * as net from 'node:net';

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
 * TCP ports that were free a moment ago, all different: each is held by a
 * listener until every one is found. Another process may still take one
 * before the caller binds it, so a caller that cannot bind should ask again.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const held = new Map<number, net.Server>();
  try {
    for (let tries = 0; held.size < count; tries += 1) {
      if (tries > 10_000) throw new Error(`no ${count} free ports between ${FIRST_PORT} and ${LAST_PORT}`);
      const port = FIRST_PORT + Math.floor(Math.random() * (LAST_PORT - FIRST_PORT + 1));
      if (held.has(port)) continue;
      const server = await tryListen(port, host);
      if (server) held.set(port, server);
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
