// The chart installed on this machine, as `helm install` would install it
// into a cluster, with podman for the cluster: the chart rendered by helm
// with test/containers/values.yaml; its Secrets made (the database's URI,
// the token key, and the services' keys from `npm run keys:service`); its
// pre-install hook Job run to completion; then every Deployment played by
// `podman kube play`, one pod each, on a podman network of the run's own.
// Kubernetes' Service names reach the pods through /etc/hosts entries
// (hostAliases: one fixed address per pod), and the local database
// (FerretDB behind the write-serializing proxy) listens on the network's
// gateway, the host's address on it. What podman has no part for is left
// out: NetworkPolicies (nothing enforces them here), the HPAs and PDBs (the
// value set turns them off), and the probes, which the tests ask themselves
// (probes.ts).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, startLocalDatabase, type LocalDatabase } from '@testmancer/db-proxy';
import { builtImageTag, imageSpecs, imageRef, podman, PodmanError } from '@testmancer/images';
import { parse, stringify } from 'yaml';
import { CHART, helm, parseObjects, type K8sObject } from '../../charts/test/helm';
import type { ProbeTarget } from './probes';

const ROOT = path.resolve(__dirname, '../..');
const VALUES = path.join(__dirname, 'values.yaml');
const run = promisify(execFile);

/** A container of a played pod. */
export interface PlayedContainer extends ProbeTarget {
  /** The Deployment or Job it belongs to. */
  workload: string;
  spec: any;
  /** Its pod's spec, as rendered. */
  pod: any;
}

export interface Release {
  name: string;
  objects: K8sObject[];
  /** The pre-install hook Job's container, run to its end before any Deployment. */
  migration: { container: string; exitCode: number; logs: string };
  /** Every container of every Deployment. */
  containers: PlayedContainer[];
  /** The token key the gateway verifies with. */
  jwtSecret: string;
  /** http://127.0.0.1:<port> where a Deployment's container port of this name is published. */
  url(workload: string, portName: string): string;
  stop(): Promise<void>;
}

const podTemplate = (object: K8sObject) => object.spec.template;
const hook = (object: K8sObject) => object.metadata.annotations?.['helm.sh/hook']?.split(',') ?? [];
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The n-th address of an IPv4 subnet ("10.89.3.0/24", 10 → "10.89.3.10"). */
function addressIn(subnet: string, n: number): string {
  const [network, bits] = subnet.split('/') as [string, string];
  if (2 ** (32 - Number(bits)) <= n + 1) throw new Error(`${subnet} has no address ${n}`);
  const value = network.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0) + n;
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * A Secret as podman 4.3's kube play reads it for secretKeyRef: a podman
 * secret holding the JSON of its `data` (base64 values). podman 4.3 stores a
 * Secret given to kube play as its whole YAML instead, which its own
 * secretKeyRef then refuses as not JSON (containers/podman#16269): the
 * Secrets are made here, and never given to kube play.
 */
async function createSecret(name: string, values: Record<string, string>): Promise<void> {
  const data = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Buffer.from(value).toString('base64')]));
  // From a file: podman takes `-` only from a pipe, and node gives a child's standard input as a socket.
  const directory = mkdtempSync(path.join(os.tmpdir(), 'secret-'));
  try {
    writeFileSync(path.join(directory, 'data'), JSON.stringify(data), { mode: 0o600 });
    await podman(['secret', 'create', name, path.join(directory, 'data')]);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Every container port published on a free loopback port; answers containerPort → host port per container. */
async function publishPorts(spec: any): Promise<Map<string, Map<number, number>>> {
  const published = new Map<string, Map<number, number>>();
  for (const container of spec.containers) {
    const ports = new Map<number, number>();
    for (const port of container.ports ?? []) {
      // podman 4.3 publishes every containerPort on the host's port of the
      // same number, on every address (containers/podman#17028): four
      // services on 50051 would collide, and a test must not listen beyond
      // loopback. A hostPort of the test's choosing on 127.0.0.1 replaces it.
      port.hostIP = '127.0.0.1';
      port.hostPort = await freePort();
      ports.set(port.containerPort, port.hostPort);
    }
    published.set(container.name, ports);
  }
  return published;
}

async function render(release: string, tag: string): Promise<K8sObject[]> {
  const sets = [
    `image.tag=${tag}`,
    `frontends.admin.image.tag=${tag}`,
    `frontends.student.image.tag=${tag}`,
    `mongodb.existingSecret.name=${release}-mongodb`,
    `auth.existingSecret.name=${release}-auth`,
    `serviceIdentity.secretName=${release}-service-keys`,
  ];
  const result = await helm(['template', release, CHART, '--namespace', release, '--values', VALUES, '--set-string', sets.join(',')]);
  if (result.code !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return parseObjects(result.stdout);
}

/** The services' keys as the operator makes them: the Secret `npm run keys:service` prints. */
async function serviceKeys(name: string, namespace: string): Promise<Record<string, string>> {
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'scripts/service-keys.mjs'), '--name', name, '--namespace', namespace], {
    cwd: ROOT,
  });
  const secret = parse(stdout) as { stringData: Record<string, string> };
  return secret.stringData;
}

export async function installRelease(): Promise<Release> {
  // The images the last `make image` built (the tree may have changed since: a tag computed now would name none).
  const tag = builtImageTag();
  if (!tag) throw new Error('no images built yet: `make image` builds them');
  for (const spec of imageSpecs()) {
    const ref = imageRef(spec, tag);
    await podman(['image', 'exists', ref]).catch(() => {
      throw new Error(`no image ${ref}: \`make image\` builds the images of this commit`);
    });
  }
  const name = `testmancer-ct${randomBytes(3).toString('hex')}`;
  const objects = await render(name, tag);
  const logDir = path.join(ROOT, '.local', 'test-logs', 'containers', name);
  mkdirSync(logDir, { recursive: true });
  writeFileSync(path.join(logDir, 'rendered.yaml'), objects.map((object) => stringify(object)).join('---\n'));

  const pods: string[] = [];
  const secrets: string[] = [];
  const played: PlayedContainer[] = [];
  let network: string | undefined;
  let database: LocalDatabase | undefined;
  const stop = async () => {
    for (const container of played) {
      const logs = await podman(['logs', container.name]).catch((error: Error) => error.message);
      writeFileSync(path.join(logDir, `${container.name}.log`), logs);
    }
    for (const pod of pods.splice(0)) await podman(['pod', 'rm', '--force', pod]).catch(() => undefined);
    for (const secret of secrets.splice(0)) await podman(['secret', 'rm', secret]).catch(() => undefined);
    // podman keeps a ConfigMap mounted as a volume (the gateway's flags) as a named volume of the ConfigMap's name.
    const volumes = (await podman(['volume', 'ls', '--quiet', '--filter', `name=^${name}-`]).catch(() => '')).split('\n').filter(Boolean);
    for (const volume of volumes) await podman(['volume', 'rm', '--force', volume]).catch(() => undefined);
    if (network) await podman(['network', 'rm', '--force', network]).catch(() => undefined);
    await database?.stop();
  };

  try {
    await podman(['network', 'create', name]);
    network = name;
    const [{ subnets }] = JSON.parse(await podman(['network', 'inspect', name])) as [{ subnets: { subnet: string; gateway: string }[] }];
    const { subnet, gateway } = subnets[0]!;

    const configMaps = objects.filter((object) => object.kind === 'ConfigMap');
    const deployments = objects.filter((object) => object.kind === 'Deployment');
    const preInstallJobs = objects.filter((object) => object.kind === 'Job' && hook(object).includes('pre-install'));
    const unplayed = objects.filter(
      (object) => hook(object).length === 0 && !['ConfigMap', 'Deployment', 'Service', 'NetworkPolicy'].includes(object.kind),
    );
    if (unplayed.length > 0 || preInstallJobs.length !== 1)
      throw new Error(
        `the chart renders what this test does not run: ${unplayed.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}; pre-install Jobs: ${preInstallJobs.length}`,
      );
    const [migrationJob] = preInstallJobs as [K8sObject];
    const workloads = [migrationJob, ...deployments];
    const addresses = new Map(workloads.map((workload, i) => [workload.metadata.name, addressIn(subnet, 10 + i)]));

    // A Service reaches its pod on the same port here: its name is an /etc/hosts entry, not a proxy.
    const hostAliases = objects
      .filter((object) => object.kind === 'Service')
      .map((service) => {
        const target = deployments.find((deployment) => matches(service.spec.selector, podTemplate(deployment).metadata.labels));
        if (!target) throw new Error(`Service ${service.metadata.name} selects no Deployment`);
        const ports = podTemplate(target).spec.containers.flatMap((candidate: any) => candidate.ports ?? []);
        for (const port of service.spec.ports) {
          const containerPort = ports.find((p: any) => p.name === port.targetPort || p.containerPort === port.targetPort)?.containerPort;
          if (containerPort !== port.port)
            throw new Error(`Service ${service.metadata.name} maps port ${port.port} to ${containerPort}: a name in /etc/hosts cannot`);
        }
        const short = service.metadata.name;
        return {
          ip: addresses.get(target.metadata.name)!,
          hostnames: [short, `${short}.${name}`, `${short}.${name}.svc`, `${short}.${name}.svc.cluster.local`],
        };
      });

    const jwtSecret = randomBytes(32).toString('hex');
    const databasePort = await freePort();
    const secretValues: Record<string, Record<string, string>> = {
      [`${name}-mongodb`]: { MONGODB_URI: `mongodb://${gateway}:${databasePort}/?directConnection=true` },
      [`${name}-auth`]: { JWT_SECRET: jwtSecret },
      [`${name}-service-keys`]: await serviceKeys(`${name}-service-keys`, name),
    };
    for (const [secret, values] of Object.entries(secretValues)) {
      await createSecret(secret, values);
      secrets.push(secret);
    }

    /** kube play of one workload's pod, with the ConfigMaps it reads; answers its containers. */
    const play = async (workload: K8sObject, start: boolean): Promise<PlayedContainer[]> => {
      const rendered = podTemplate(workload).spec;
      const spec = structuredClone(rendered);
      spec.hostAliases = hostAliases;
      // podman 4.3 makes a liveness probe a health check of its own, with
      // curl (not in the images) and a named port read as port 0
      // (containers/podman#18645), that restarts the container where systemd
      // runs health checks: the tests ask every probe themselves instead.
      for (const container of spec.containers) delete container.livenessProbe;
      const ports = await publishPorts(spec);
      // A Job is not a kind podman 4.3 plays: its pod template is played as a Pod, and this waits for its end.
      const object: K8sObject =
        workload.kind === 'Job'
          ? {
              apiVersion: 'v1',
              kind: 'Pod',
              metadata: { name: workload.metadata.name, labels: podTemplate(workload).metadata.labels },
              spec,
            }
          : { ...workload, spec: { ...workload.spec, template: { ...podTemplate(workload), spec } } };
      const pod = workload.kind === 'Job' ? workload.metadata.name : `${workload.metadata.name}-pod-0`;
      const file = path.join(logDir, `${workload.metadata.name}.yaml`);
      writeFileSync(file, [...configMaps, object].map((document) => stringify(document)).join('---\n'));
      pods.push(pod);
      await podman(['kube', 'play', '--network', name, '--ip', addresses.get(workload.metadata.name)!, `--start=${start}`, file]);
      const containers = rendered.containers.map((container: any) => ({
        name: `${pod}-${container.name}`,
        workload: workload.metadata.name,
        spec: container,
        pod: rendered,
        hostPorts: ports.get(container.name)!,
      }));
      played.push(...containers);
      return containers;
    };

    // The hook first, as Helm runs it: its pod's network comes up (the
    // host's address on it with it), then the database there, then the Job.
    const [migration] = (await play(migrationJob, false)) as [PlayedContainer];
    const infra = (await podman(['pod', 'inspect', '--format', '{{.InfraContainerID}}', `${migrationJob.metadata.name}`])).trim();
    await podman(['start', infra]);
    database = await startLocalDatabase({ toolsDir: path.join(ROOT, '.tools'), host: gateway, port: databasePort, durability: 'relaxed' });
    await podman(['start', migration.name]);
    const deadlineSeconds = Math.min(migrationJob.spec.activeDeadlineSeconds ?? Infinity, 300);
    const exitCode = await Promise.race([
      podman(['wait', migration.name]).then((code) => Number(code.trim())),
      new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error(`the migration Job did not end within ${deadlineSeconds} s`)), deadlineSeconds * 1000).unref(),
      ),
    ]);
    const migrationLogs = await podman(['logs', migration.name]);
    if (exitCode === 0) for (const deployment of deployments) await play(deployment, true);

    return {
      name,
      objects,
      migration: { container: migration.name, exitCode, logs: migrationLogs },
      containers: played.filter((container) => container.workload !== migrationJob.metadata.name),
      jwtSecret,
      url(workload, portName) {
        const container = played.find(
          (candidate) => candidate.workload === workload && candidate.spec.ports?.some((p: any) => p.name === portName),
        );
        if (!container) throw new Error(`${workload} has no port named ${portName}`);
        const port = container.spec.ports.find((p: any) => p.name === portName).containerPort;
        return `http://127.0.0.1:${container.hostPorts.get(port)}`;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error instanceof PodmanError ? new Error(error.message) : error;
  }
}
