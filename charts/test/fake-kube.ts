import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

/**
 * What the deploy commands need of a cluster when helm runs with its memory
 * storage driver: helm then swaps its Kubernetes client for its own fake
 * (kubefake.PrintingKubeClient: applying, waiting and running hooks succeed
 * without a cluster) and keeps releases in memory, loaded from
 * HELM_MEMORY_DRIVER_DATA. Only API discovery (the cluster's version and API
 * groups, for .Capabilities) still goes over HTTP: this server answers it.
 */
const GROUPS: Record<string, string[]> = {
  apps: ['v1'],
  batch: ['v1'],
  autoscaling: ['v2'],
  policy: ['v1'],
  'networking.k8s.io': ['v1'],
  'argoproj.io': ['v1alpha1'],
  'monitoring.coreos.com': ['v1'],
};

export interface FakeKube {
  /** Environment for helm: KUBECONFIG at the discovery server, memory driver with these releases, --debug output. */
  env(releases?: unknown[]): NodeJS.ProcessEnv;
  /** The paths discovery was asked for (proves helm talked to this server, not another). */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeKube(): Promise<FakeKube> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '').split('?')[0]!;
    requests.push(url);
    const send = (body: unknown, status = 200) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url === '/version') return send({ major: '1', minor: '30', gitVersion: 'v1.30.0', platform: 'linux/amd64' });
    if (url === '/api') return send({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (url === '/apis') {
      return send({
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: Object.entries(GROUPS).map(([name, versions]) => ({
          name,
          versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
          preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
        })),
      });
    }
    const list = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(url);
    if (list) return send({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: list[1] ?? `${list[2]}/${list[3]}`, resources: [] });
    send({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }, 404);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'testmancer-fake-kube-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: `http://127.0.0.1:${port}` } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', namespace: 'testmancer' } }],
      'current-context': 'fake',
      users: [],
    }),
  );
  let files = 0;
  return {
    requests,
    env(releases = []) {
      const data = path.join(dir, `releases-${++files}.yaml`);
      writeFileSync(data, releases.length > 0 ? stringify(releases) : '');
      return {
        ...process.env,
        KUBECONFIG: kubeconfig,
        HELM_DRIVER: 'memory',
        HELM_MEMORY_DRIVER_DATA: data,
        HELM_DEBUG: 'true',
        HELM_CACHE_HOME: path.join(dir, 'cache'),
        HELM_CONFIG_HOME: path.join(dir, 'config'),
        HELM_DATA_HOME: path.join(dir, 'data'),
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(dir, { recursive: true, force: true });
      }),
  };
}

/** A stored release as helm's memory driver loads it. */
export function storedRelease(version: number, status: 'deployed' | 'superseded', config: Record<string, unknown>) {
  return {
    name: 'testmancer',
    namespace: 'testmancer',
    version,
    info: { status, description: version === 1 ? 'Install complete' : 'Upgrade complete' },
    chart: { metadata: { name: 'testmancer', version: '0.1.0', apiVersion: 'v2', appVersion: '0.1.0' } },
    config,
    manifest: '',
  };
}
