import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { SERVICE_NAMES, ServiceIdentity, loadServiceKeys, type ServiceName } from '@testmancer/shared';
import { BACKEND, CHART, K8sObject, NAMESPACE, ROOT, helm, named, parseObjects, podSpec, render, validateObjects } from './helm';

// The services' identity keys: `npm run keys:service` makes the Secret, the
// chart hands each pod its own private key and every public key, and
// refuses to render without the Secret (production processes would not start).
const run = promisify(execFile);

async function keysService(args: string[]) {
  return run('npm', ['run', '-s', 'keys:service', '--', ...args], { cwd: ROOT }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe('npm run keys:service', () => {
  let secret: K8sObject;
  beforeAll(async () => {
    const result = await keysService(['--name', 'testmancer-service-keys', '--namespace', NAMESPACE]);
    expect(result.code).toBe(0);
    const objects = parseObjects(result.stdout);
    expect(objects).toHaveLength(1);
    secret = objects[0]!;
  });

  test('prints one valid Secret, named and placed by its flags, with a key per component and the public keys', () => {
    expect(validateObjects([secret])).toEqual([{ kind: 'Secret', name: 'testmancer-service-keys', error: null }]);
    expect(secret.metadata).toMatchObject({ name: 'testmancer-service-keys', namespace: NAMESPACE });
    expect(Object.keys(secret.stringData!).sort()).toEqual(
      [...SERVICE_NAMES.map((service) => `${service}.key`), 'public-keys.json'].sort(),
    );
    expect(Object.keys(JSON.parse(secret.stringData!['public-keys.json']!)).sort()).toEqual([...SERVICE_NAMES].sort());
  });

  test("every private key signs what its own public key, and no other's, verifies", () => {
    const publicKeys: Record<string, string> = JSON.parse(secret.stringData!['public-keys.json']!);
    const message = Buffer.from('testmancer');
    for (const service of SERVICE_NAMES) {
      const privateKey = createPrivateKey(secret.stringData![`${service}.key`]!);
      expect(privateKey.asymmetricKeyType).toBe('ed25519');
      const signature = sign(null, message, privateKey);
      for (const other of SERVICE_NAMES)
        expect([service, other, verify(null, message, createPublicKey(publicKeys[other]!), signature)]).toEqual([
          service,
          other,
          service === other,
        ]);
    }
  });

  test('production processes load them, and a call signed by quiz is verified by gems as coming from quiz', async () => {
    const keysOf = (service: ServiceName) =>
      loadServiceKeys(service, {
        NODE_ENV: 'production',
        SERVICE_KEY: secret.stringData![`${service}.key`],
        SERVICE_PUBLIC_KEYS: secret.stringData!['public-keys.json'],
      });
    const quiz = new ServiceIdentity('quiz', keysOf('quiz'));
    const gems = new ServiceIdentity('gems', keysOf('gems'));
    const call = await gems.verify(await quiz.serviceToken('gems'), undefined);
    expect(call.service).toBe('quiz');
    // A token quiz signs for content is not one gems takes.
    await expect(gems.verify(await quiz.serviceToken('content'), undefined)).rejects.toThrow();
  });

  test('fresh keys at every run; names Kubernetes would refuse are refused', async () => {
    const again = parseObjects((await keysService([])).stdout)[0]!;
    expect(again.metadata).toMatchObject({ name: 'testmancer-service-keys', namespace: 'testmancer' }); // the defaults
    expect(again.stringData!['gateway.key']).not.toBe(secret.stringData!['gateway.key']);
    for (const args of [
      ['--name', 'Service Keys'],
      ['--namespace', 'a.b'],
      ['--nme', 'x'],
    ]) {
      const result = await keysService(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('usage: npm run -s keys:service');
    }
  });

  test('the chart asks for exactly the keys the Secret holds', async () => {
    const objects = await render(['ci/minimal-values.yaml']);
    const referenced = new Set<string>();
    for (const component of BACKEND)
      for (const entry of podSpec(named(objects, 'Deployment', `testmancer-${component}`)).containers[0].env) {
        const ref = entry.valueFrom?.secretKeyRef;
        if (ref?.name === 'testmancer-service-keys') referenced.add(ref.key);
      }
    expect([...referenced].sort()).toEqual(Object.keys(secret.stringData!).sort());
  });
});

describe('the chart', () => {
  const secretRefs = (object: K8sObject) =>
    podSpec(object)
      .containers.flatMap(
        (container: { env?: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }> }) => container.env ?? [],
      )
      .filter((entry: { valueFrom?: { secretKeyRef?: unknown } }) => entry.valueFrom?.secretKeyRef)
      .map((entry: { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }) => ({
        variable: entry.name,
        ...entry.valueFrom.secretKeyRef,
      }));

  test.each(['minimal', 'production'])('%s values: each pod gets its own private key only, and every public key', async (set) => {
    const objects = await render([`ci/${set}-values.yaml`]);
    for (const component of BACKEND) {
      const object = objects.find(
        (o) => (o.kind === 'Deployment' || o.kind === 'Rollout') && o.metadata.name === `testmancer-${component}`,
      )!;
      const keyRefs = secretRefs(object).filter((ref: { name: string }) => ref.name === 'testmancer-service-keys');
      expect(keyRefs).toEqual([
        { variable: 'SERVICE_KEY', name: 'testmancer-service-keys', key: `${component}.key` },
        { variable: 'SERVICE_PUBLIC_KEYS', name: 'testmancer-service-keys', key: 'public-keys.json' },
      ]);
    }
    // The migration Job calls no service: no key.
    expect(secretRefs(named(objects, 'Job', 'testmancer-migrate')).map((ref: { name: string }) => ref.name)).not.toContain(
      'testmancer-service-keys',
    );
  });

  test('without serviceIdentity.secretName it refuses to render, saying how to make the Secret', async () => {
    const values = path.join(CHART, 'ci/minimal-values.yaml');
    const result = await helm([
      'template',
      'testmancer',
      CHART,
      '--namespace',
      NAMESPACE,
      '--values',
      values,
      '--set',
      'serviceIdentity.secretName=',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      "serviceIdentity: set serviceIdentity.secretName, a Secret with every component's key (production processes refuse to start without one): make it with `npm run -s keys:service -- --name <name> --namespace <namespace> | kubectl create -f -`",
    );
  });
});
