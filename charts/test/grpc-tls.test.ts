import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { healthV1 } from '@testmancer/proto';
import { Health, transportFrom } from '@testmancer/shared';
import { createServer, type Server } from 'nice-grpc';
import { BACKEND, K8sObject, NAMESPACE, ROOT, byKind, helm, named, podSpec, render, validateObjects } from './helm';

// gRPC over mutual TLS (grpcTls): off by default; on, every backend process
// mounts its own certificate Secret and is told where the files are, and the
// services' readiness is asked over TLS from inside the pod.
const run = promisify(execFile);

const name = (component: string) => `testmancer-${component}`;
const TLS_DIR = '/etc/testmancer/grpc-tls';
const TLS_ENV = {
  GRPC_TLS_CERT_FILE: `${TLS_DIR}/tls.crt`,
  GRPC_TLS_KEY_FILE: `${TLS_DIR}/tls.key`,
  GRPC_TLS_CA_FILE: `${TLS_DIR}/ca.crt`,
};
const SERVICES = BACKEND.filter((component) => component !== 'gateway');
const CERT_MANAGER = ['--set', 'grpcTls.enabled=true', '--set', 'grpcTls.certManager.issuerRef.name=testmancer-grpc-ca'];
const OWN_SECRETS = [
  '--set',
  'grpcTls.enabled=true',
  ...BACKEND.flatMap((component) => ['--set', `grpcTls.secretNames.${component}=own-${component}-tls`]),
];

const workload = (objects: K8sObject[], component: string) =>
  objects.find((object) => (object.kind === 'Deployment' || object.kind === 'Rollout') && object.metadata.name === name(component))!;
const container = (object: K8sObject) => podSpec(object).containers[0];
const env = (object: K8sObject) =>
  Object.fromEntries(container(object).env.map((entry: any) => [entry.name, entry.value ?? entry.valueFrom]));
const tlsVolume = (object: K8sObject) => (podSpec(object).volumes ?? []).find((volume: any) => volume.name === 'grpc-tls');
const tlsMount = (object: K8sObject) => (container(object).volumeMounts ?? []).find((mount: any) => mount.name === 'grpc-tls');

const rendered = {} as Record<'off' | 'certManager' | 'ownSecrets' | 'production', K8sObject[]>;
beforeAll(async () => {
  [rendered.off, rendered.certManager, rendered.ownSecrets, rendered.production] = await Promise.all([
    render(['ci/minimal-values.yaml']),
    render(['ci/minimal-values.yaml'], CERT_MANAGER),
    render(['ci/minimal-values.yaml'], OWN_SECRETS),
    render(['ci/production-values.yaml']),
  ]);
});

describe('off (the default): plaintext, nothing of TLS in any object', () => {
  test.each(BACKEND)('%s: no TLS variable, volume or mount; no Certificate', (component) => {
    const object = workload(rendered.off, component);
    for (const variable of Object.keys(TLS_ENV)) expect(env(object)[variable]).toBeUndefined();
    expect(tlsVolume(object)).toBeUndefined();
    expect(tlsMount(object)).toBeUndefined();
    expect(byKind(rendered.off, 'Certificate')).toEqual([]);
  });

  test.each(SERVICES)("%s: ready on the kubelet's own gRPC probe", (component) => {
    expect(container(workload(rendered.off, component)).readinessProbe.grpc).toEqual({ port: 50051 });
  });
});

describe.each([
  ['cert-manager', 'certManager', (component: string) => `${name(component)}-grpc-tls`],
  ['own Secrets', 'ownSecrets', (component: string) => `own-${component}-tls`],
] as const)('on, with %s', (_how, set, secretOf) => {
  test.each(BACKEND)('%s mounts its own certificate Secret read-only where the three variables point', (component) => {
    const object = workload(rendered[set], component);
    expect(env(object)).toMatchObject(TLS_ENV);
    expect(tlsVolume(object)).toEqual({ name: 'grpc-tls', secret: { secretName: secretOf(component), defaultMode: 0o440 } });
    expect(tlsMount(object)).toEqual({ name: 'grpc-tls', mountPath: TLS_DIR, readOnly: true });
  });

  test.each(SERVICES)('%s: ready when its health, asked over TLS from inside the pod, says SERVING', (component) => {
    const probe = container(workload(rendered[set], component)).readinessProbe;
    expect(probe.grpc).toBeUndefined();
    expect(probe.exec.command).toEqual(['node', '/app/scripts/grpc-health-probe.mjs']);
    expect(probe).toMatchObject({ periodSeconds: 5, timeoutSeconds: 3 });
    // The image is the repository at /app (Dockerfile: COPY . ., scripts/ kept, not in .dockerignore).
    expect(existsSync(path.join(ROOT, probe.exec.command[1].replace(/^\/app\//, '')))).toBe(true);
    expect(readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n')).not.toContain('scripts');
  });

  test('the gateway is still probed over HTTP; every object is valid', () => {
    const gateway = container(workload(rendered[set], 'gateway'));
    expect(gateway.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(validateObjects(rendered[set]).filter((result) => result.error !== null)).toEqual([]);
  });
});

describe('cert-manager Certificates', () => {
  test('one per component, into the Secret its pods mount, only when cert-manager issues them', () => {
    const certificates = byKind(rendered.certManager, 'Certificate');
    expect(certificates.map((certificate) => certificate.metadata.name).sort()).toEqual(BACKEND.map((c) => `${name(c)}-grpc`).sort());
    for (const component of BACKEND) {
      const certificate = named(rendered.certManager, 'Certificate', `${name(component)}-grpc`);
      expect(certificate.spec.secretName).toBe(tlsVolume(workload(rendered.certManager, component)).secret.secretName);
      expect(certificate.spec.issuerRef).toEqual({ name: 'testmancer-grpc-ca', kind: 'Issuer', group: 'cert-manager.io' });
      expect(certificate.spec.usages).toEqual(expect.arrayContaining(['server auth', 'client auth']));
      expect(certificate.metadata.labels!['app.kubernetes.io/component']).toBe(component);
    }
    expect(byKind(rendered.ownSecrets, 'Certificate')).toEqual([]);
  });

  test("each names its component's Service in every form, among them the host its callers dial", () => {
    const config = named(rendered.certManager, 'ConfigMap', name('config')).data!;
    for (const component of BACKEND) {
      const service = named(rendered.certManager, 'Service', name(component)).metadata.name;
      const { dnsNames } = named(rendered.certManager, 'Certificate', `${name(component)}-grpc`).spec;
      expect(dnsNames).toEqual([
        service,
        `${service}.${NAMESPACE}`,
        `${service}.${NAMESPACE}.svc`,
        `${service}.${NAMESPACE}.svc.cluster.local`,
      ]);
      const address = config[`${component.toUpperCase()}_ADDR`];
      if (address) expect(dnsNames).toContain(address.split(':')[0]);
    }
  });

  test('the production values turn it on; a release-wide issuer (ClusterIssuer) and validity come from values', async () => {
    expect(byKind(rendered.production, 'Certificate')).toHaveLength(BACKEND.length);
    const objects = await render(
      ['ci/minimal-values.yaml'],
      [
        ...CERT_MANAGER,
        '--set',
        'grpcTls.certManager.issuerRef.kind=ClusterIssuer',
        '--set',
        'grpcTls.certManager.duration=720h',
        '--set',
        'grpcTls.certManager.renewBefore=240h',
      ],
    );
    for (const certificate of byKind(objects, 'Certificate')) {
      expect(certificate.spec).toMatchObject({ issuerRef: { kind: 'ClusterIssuer' }, duration: '720h', renewBefore: '240h' });
    }
  });
});

describe('values that cannot work are refused, naming what to set', () => {
  const template = (sets: string[]) =>
    helm([
      'template',
      'testmancer',
      path.join(ROOT, 'charts/testmancer'),
      '--namespace',
      NAMESPACE,
      '--values',
      path.join(ROOT, 'charts/testmancer/ci/minimal-values.yaml'),
      ...sets,
    ]);

  test('on without certificates', async () => {
    const result = await template(['--set', 'grpcTls.enabled=true', '--set', 'grpcTls.secretNames.quiz=quiz-tls']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'grpcTls: enabled without certificates: set grpcTls.certManager.issuerRef.name (a cert-manager CA issuer) or every one of grpcTls.secretNames.gateway, grpcTls.secretNames.content, grpcTls.secretNames.gems, grpcTls.secretNames.media',
    );
  });

  test('both sources at once', async () => {
    const result = await template([...CERT_MANAGER, '--set', 'grpcTls.secretNames.quiz=quiz-tls']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('grpcTls: set either grpcTls.certManager.issuerRef.name');
  });
});

describe('the probe script against a gRPC server on mutual TLS, as a service serves (transportFrom)', () => {
  let dir: string;
  let server: Server;
  let port: number;
  const health = new Health([]);

  async function openssl(args: string[]) {
    await run('openssl', args, { cwd: dir });
  }
  /** A key and a certificate of `ca` for `host`, usable by a server and a client, as cert-manager issues them. */
  async function issue(file: string, host: string, ca: string) {
    await openssl([
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${file}.key`,
      '-out',
      `${file}.csr`,
      '-subj',
      `/CN=${host}`,
    ]);
    writeFileSync(
      path.join(dir, `${file}.ext`),
      `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature\n`,
    );
    await openssl([
      'x509',
      '-req',
      '-in',
      `${file}.csr`,
      '-CA',
      `${ca}.crt`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-days',
      '1',
      '-out',
      `${file}.crt`,
      '-extfile',
      `${file}.ext`,
    ]);
  }
  const files = (file: string, ca = 'ca') => ({
    GRPC_TLS_CERT_FILE: path.join(dir, `${file}.crt`),
    GRPC_TLS_KEY_FILE: path.join(dir, `${file}.key`),
    GRPC_TLS_CA_FILE: path.join(dir, `${ca}.crt`),
  });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'testmancer-grpc-tls-'));
    for (const ca of ['ca', 'other-ca'])
      await openssl([
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        `${ca}.key`,
        '-out',
        `${ca}.crt`,
        '-days',
        '1',
        '-subj',
        `/CN=${ca}`,
      ]);
    await issue('content', 'testmancer-content', 'ca');
    await issue('stranger', 'testmancer-content', 'other-ca');
    server = createServer();
    server.add(healthV1.HealthService, health.implementation);
    port = await server.listen('127.0.0.1:0', transportFrom(files('content')).server);
  });
  afterAll(async () => {
    await server?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The script as the kubelet runs it in the pod: the container's environment, its own certificate. */
  async function probe(tls: Record<string, string>) {
    const script = path.join(ROOT, 'scripts/grpc-health-probe.mjs');
    return run(process.execPath, [script], { env: { PATH: process.env.PATH, GRPC_PORT: String(port), ...tls } }).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code: number; stderr: string }) => ({ code: error.code, output: error.stderr }),
    );
  }

  test('exits 0 on SERVING, 1 on NOT_SERVING (the database gone, a graceful stop)', async () => {
    health.setServing(true);
    expect(await probe(files('content'))).toEqual({ code: 0, output: 'grpc-health-probe: SERVING\n' });
    health.setServing(false);
    expect(await probe(files('content'))).toEqual({ code: 1, output: 'grpc-health-probe: not serving (status 2)\n' });
  });

  test('fails without a certificate of the same CA, and in plaintext (the server requires mutual TLS)', async () => {
    health.setServing(true);
    expect((await probe(files('stranger', 'ca'))).code).toBe(1);
    expect((await probe(files('content', 'other-ca'))).code).toBe(1);
    expect((await probe({})).code).toBe(1);
  });
});
