// The kubelet's probes, asked of a container podman runs: podman turns a
// liveness probe into a health check of its own and ignores the others, so
// the tests ask every probe the chart declares the way the kubelet does:
// httpGet (a status of 200 to 399), tcpSocket (a connection), grpc
// (grpc.health.v1 says SERVING) and exec (exit 0). The pod's ports are
// reached where podman publishes them on loopback.
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { podmanEnv } from '@testmancer/images';

export const PROBE_KINDS = ['startupProbe', 'livenessProbe', 'readinessProbe'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

export interface Probe {
  httpGet?: { path?: string; port: number | string; scheme?: string };
  tcpSocket?: { port: number | string };
  grpc?: { port: number; service?: string };
  exec?: { command: string[] };
  timeoutSeconds?: number;
  periodSeconds?: number;
}

/** What a probe needs of its container: its spec's ports and where each is published. */
export interface ProbeTarget {
  /** podman's name of the container. */
  name: string;
  spec: { ports?: { name?: string; containerPort: number }[] };
  /** containerPort → the 127.0.0.1 port podman publishes it on. */
  hostPorts: ReadonlyMap<number, number>;
}

export interface ProbeResult {
  ok: boolean;
  /** What answered, for the failure message. */
  detail: string;
}

const GRPC_HEALTH_PROBE = path.resolve(__dirname, '../../scripts/grpc-health-probe.mjs');

/** The loopback port a probe's port (a number or a port's name, as the kubelet reads it) is published on. */
function hostPort(target: ProbeTarget, port: number | string): number {
  const containerPort = typeof port === 'number' ? port : target.spec.ports?.find((candidate) => candidate.name === port)?.containerPort;
  if (containerPort === undefined) throw new Error(`${target.name} has no port named ${port}`);
  const published = target.hostPorts.get(containerPort);
  if (published === undefined)
    throw new Error(`${target.name} declares no containerPort ${containerPort}: a probe of it cannot be reached`);
  return published;
}

const run = (command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) =>
  new Promise<ProbeResult>((resolve) => {
    execFile(command, args, { env, timeout: timeoutMs }, (error, stdout, stderr) =>
      resolve({ ok: !error, detail: `${stdout}${stderr}`.trim() || (error ? error.message : 'exit 0') }),
    );
  });

/** Asks a probe once, as the kubelet does at each period. */
export async function probeOnce(target: ProbeTarget, probe: Probe): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) {
    if ((probe.httpGet.scheme ?? 'HTTP') !== 'HTTP') throw new Error(`${target.name}: only HTTP probes are asked here`);
    const url = `http://127.0.0.1:${hostPort(target, probe.httpGet.port)}${probe.httpGet.path ?? '/'}`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      const body = await response.text();
      return {
        ok: response.status >= 200 && response.status < 400,
        detail: `GET ${probe.httpGet.path}: ${response.status} ${body.slice(0, 300)}`,
      };
    } catch (error) {
      return { ok: false, detail: `GET ${probe.httpGet.path}: ${(error as Error).message}` };
    }
  }
  if (probe.tcpSocket) {
    const port = hostPort(target, probe.tcpSocket.port);
    return new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port, timeout: timeoutMs });
      const done = (result: ProbeResult) => {
        socket.destroy();
        resolve(result);
      };
      socket.once('connect', () => done({ ok: true, detail: `tcp ${probe.tcpSocket!.port}: connected` }));
      socket.once('timeout', () => done({ ok: false, detail: `tcp ${probe.tcpSocket!.port}: no connection within ${timeoutMs} ms` }));
      socket.once('error', (error) => done({ ok: false, detail: `tcp ${probe.tcpSocket!.port}: ${error.message}` }));
    });
  }
  if (probe.grpc) {
    if (probe.grpc.service) throw new Error(`${target.name}: the health of a named gRPC service is not asked here`);
    // The same plaintext grpc.health.v1 Check of the whole process the kubelet makes.
    const env = { PATH: process.env.PATH, GRPC_PORT: String(hostPort(target, probe.grpc.port)), PROBE_TIMEOUT_MS: String(timeoutMs) };
    return run(process.execPath, [GRPC_HEALTH_PROBE], env, timeoutMs + 1000);
  }
  if (probe.exec) return run('podman', ['exec', target.name, ...probe.exec.command], podmanEnv(), timeoutMs + 5000);
  throw new Error(`${target.name}: a probe of a kind not asked here: ${JSON.stringify(probe)}`);
}

/**
 * Asks a probe every periodSeconds until it succeeds or `withinMs` has
 * passed; answers the last result (a failure names what answered).
 */
export async function awaitProbe(target: ProbeTarget, probe: Probe, withinMs: number): Promise<ProbeResult> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const result = await probeOnce(target, probe);
    if (result.ok || Date.now() >= deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, Math.min((probe.periodSeconds ?? 10) * 1000, 1000)));
  }
}
