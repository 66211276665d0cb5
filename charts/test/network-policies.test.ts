import { BACKEND, K8sObject, NAMESPACE, byKind, named, render } from './helm';
import { Endpoint, Port, egressAllows, ingressAllows, networkPolicies, podsOf, selects } from './network-policies';

// Who may connect to whom, asked of the rendered NetworkPolicies themselves
// (network-policies.ts decides as Kubernetes does), both ends of every
// connection: the caller's egress and the callee's ingress.

/** Every connection the platform makes inside the release: the gRPC calls and the database's clients. */
const CONNECTIONS = new Set([
  'gateway -> content',
  'gateway -> quiz',
  'gateway -> gems',
  'gateway -> media',
  'quiz -> content',
  'quiz -> gems',
  'content -> media',
  'media -> content',
  'content -> database',
  'quiz -> database',
  'gems -> database',
  'media -> database',
  'migrate -> database',
]);
/** The port each one listens on for those connections (the others, metrics and the gateway's http, are for Prometheus and the ingress controller). */
const SERVING_PORT: Record<string, number> = { content: 50051, quiz: 50051, gems: 50051, media: 50051, database: 27017 };
const DATABASE_CLIENTS = ['content', 'quiz', 'gems', 'media', 'migrate'];
const EVERY_POLICED = [...BACKEND, 'migrate'];

const outside = (name: string, ip: string): Endpoint => ({ name, ip });
const podIn = (name: string, namespace: string, ip: string, ports: Port[] = []): Endpoint => ({
  name,
  ip,
  pod: { namespace, labels: { app: name }, ports },
});
const prometheus = podIn('prometheus', 'monitoring', '10.244.9.1');
const ingressController = podIn('ingress-nginx', 'ingress-nginx', '10.244.9.2');
const collector = podIn('otel-collector', 'monitoring', '10.244.9.3', [{ name: 'otlp-http', containerPort: 4318 }]);
const kubeDns = podIn('kube-dns', 'kube-system', '10.244.9.4', [{ name: 'dns', containerPort: 53, protocol: 'UDP' }]);
const cloudinary = outside('api.cloudinary.com', '203.0.113.7');

/** The release's pods, the bundled database's called "database". */
function releasePods(objects: K8sObject[]): Map<string, Endpoint> {
  const pods = podsOf(objects, NAMESPACE);
  const database = pods.get('mongodb');
  if (database) {
    pods.delete('mongodb');
    pods.set('database', { ...database, name: 'database' });
  }
  return pods;
}

function verdict(objects: K8sObject[], from: Endpoint, to: Endpoint, port: number, protocol: 'TCP' | 'UDP' = 'TCP') {
  const policies = networkPolicies(objects, NAMESPACE);
  return { egress: egressAllows(policies, from, to, { port, protocol }), ingress: ingressAllows(policies, from, to, { port, protocol }) };
}

describe('the evaluator decides as Kubernetes does (it can say no, and yes)', () => {
  const policy = (spec: object): K8sObject[] => [
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: NAMESPACE }, spec },
  ];
  const a = podIn('a', NAMESPACE, '10.244.0.1', [{ name: 'web', containerPort: 80 }]);
  const b = podIn('b', NAMESPACE, '10.244.0.2', [{ name: 'web', containerPort: 80 }]);
  const c = { port: 80 };

  test('no policy: everything passes; a policy without rules: nothing does', () => {
    expect(egressAllows([], a, b, c) && ingressAllows([], a, b, c)).toBe(true);
    const denyAll = policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(egressAllows(denyAll, a, b, c)).toBe(false);
    expect(ingressAllows(denyAll, a, b, c)).toBe(false);
  });

  test('peers by pod labels, namespaces, addresses; ports by number, name and protocol', () => {
    const toB = policy({
      podSelector: { matchLabels: { app: 'a' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: { app: 'b' } } }], ports: [{ port: 'web' }] },
        { to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }] },
      ],
    });
    expect(egressAllows(toB, a, b, c)).toBe(true);
    expect(egressAllows(toB, a, b, { port: 81 })).toBe(false);
    expect(egressAllows(toB, a, b, { port: 80, protocol: 'UDP' })).toBe(false);
    expect(egressAllows(toB, a, podIn('b', 'elsewhere', '10.244.1.2', [{ name: 'web', containerPort: 80 }]), c)).toBe(false);
    expect(egressAllows(toB, a, outside('x', '203.0.113.7'), { port: 9 })).toBe(true);
    expect(egressAllows(toB, a, outside('x', '203.0.113.200'), { port: 9 })).toBe(false);
    expect(egressAllows(toB, b, a, c)).toBe(true); // b is not selected: not isolated
    const fromMonitoring = policy({
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['b'] }] },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }],
    });
    expect(ingressAllows(fromMonitoring, prometheus, b, c)).toBe(true);
    expect(ingressAllows(fromMonitoring, a, b, c)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, { app: 'a' })).toBe(false);
  });
});

describe('every pair of the release: a connection passes exactly when the platform makes it', () => {
  // The default policies, and the most open ones: a collector, a JWKS and Cloudinary each add a port out.
  const variants: Array<[string, string[]]> = [
    ['bundled database', []],
    [
      'bundled database, tracing, JWKS',
      [
        '--set',
        'tracing.otlpEndpoint=http://otel-collector.monitoring.svc:4318',
        '--set',
        'auth.jwksUrl=https://auth.example.com/jwks.json',
      ],
    ],
  ];

  test.each(variants)('%s: allowed by both ends, or refused by both (the database has no egress policy)', async (_variant, sets) => {
    const objects = await render(['ci/bundled-database-values.yaml'], sets);
    const pods = releasePods(objects);
    expect([...pods.keys()].sort()).toEqual([...EVERY_POLICED, 'database'].sort());
    const seen: string[] = [];
    const expected: string[] = [];
    for (const [fromName, from] of pods) {
      for (const [toName, to] of pods) {
        if (fromName === toName) continue;
        for (const port of to.pod!.ports) {
          const { egress, ingress } = verdict(objects, from, to, port.containerPort);
          const label = `${fromName} -> ${toName}:${port.name}`;
          seen.push(`${label} egress ${egress ? 'allows' : 'refuses'}, ingress ${ingress ? 'allows' : 'refuses'}`);
          const made = CONNECTIONS.has(`${fromName} -> ${toName}`) && SERVING_PORT[toName] === port.containerPort;
          // Only the bundled database's own pod sends unpoliced (no connection of its own is made; its peers' ingress refuses).
          const egressExpected = made || fromName === 'database';
          expected.push(`${label} egress ${egressExpected ? 'allows' : 'refuses'}, ingress ${made ? 'allows' : 'refuses'}`);
        }
      }
    }
    expect(seen).toEqual(expected);
    // Named cases of the rule, spelt out.
    const allowed = (from: string, to: string) => {
      const { egress, ingress } = verdict(objects, pods.get(from)!, pods.get(to)!, SERVING_PORT[to]!);
      return egress && ingress;
    };
    expect(allowed('quiz', 'gems')).toBe(true);
    expect(allowed('gems', 'quiz')).toBe(false);
    expect(allowed('media', 'gems')).toBe(false);
    expect(allowed('gateway', 'database')).toBe(false);
    expect(allowed('migrate', 'database')).toBe(true);
    expect(allowed('migrate', 'content')).toBe(false);
  });

  test('from outside the release: the ingress controller reaches the gateway only, Prometheus the metrics ports only', async () => {
    const objects = await render(['ci/bundled-database-values.yaml']);
    const pods = releasePods(objects);
    for (const [name, pod] of pods) {
      for (const port of pod.pod!.ports) {
        expect([
          name,
          port.name,
          'ingress-nginx',
          ingressAllows(networkPolicies(objects, NAMESPACE), ingressController, pod, { port: port.containerPort }),
        ]).toEqual([name, port.name, 'ingress-nginx', name === 'gateway' && port.name === 'http']);
        expect([
          name,
          port.name,
          'prometheus',
          ingressAllows(networkPolicies(objects, NAMESPACE), prometheus, pod, { port: port.containerPort }),
        ]).toEqual([name, port.name, 'prometheus', port.name === 'metrics' || (name === 'gateway' && port.name === 'http')]);
      }
    }
  });
});

describe('egress beyond the release', () => {
  const egressOf = (objects: K8sObject[], to: Endpoint, port: number, protocol: 'TCP' | 'UDP' = 'TCP') => {
    const pods = releasePods(objects);
    return Object.fromEntries(EVERY_POLICED.map((name) => [name, verdict(objects, pods.get(name)!, to, port, protocol).egress]));
  };
  const only = (allowed: string[]) => Object.fromEntries(EVERY_POLICED.map((name) => [name, allowed.includes(name)]));

  test('everyone reaches DNS', async () => {
    const objects = await render(['ci/minimal-values.yaml']);
    expect(egressOf(objects, kubeDns, 53, 'UDP')).toEqual(only(EVERY_POLICED));
    expect(egressOf(objects, kubeDns, 53, 'TCP')).toEqual(only(EVERY_POLICED));
  });

  test('an external database: its CIDRs on its port for the services and the migration Job, never the gateway', async () => {
    const objects = await render(
      ['ci/minimal-values.yaml'],
      ['--set', 'mongodb.external.cidrs={10.10.0.0/16}', '--set', 'mongodb.external.port=27018'],
    );
    expect(egressOf(objects, outside('mongodb', '10.10.3.4'), 27018)).toEqual(only(DATABASE_CLIENTS));
    expect(egressOf(objects, outside('mongodb', '10.10.3.4'), 27017)).toEqual(only([]));
    expect(egressOf(objects, outside('elsewhere', '192.0.2.1'), 27018)).toEqual(only([]));
    // No CIDR given: any address, on the database's port only.
    const anywhere = await render(['ci/minimal-values.yaml']);
    expect(egressOf(anywhere, outside('atlas', '198.51.100.20'), 27017)).toEqual(only(DATABASE_CLIENTS));
    expect(egressOf(anywhere, outside('atlas', '198.51.100.20'), 27018)).toEqual(only([]));
  });

  test('the collector only with tracing on, for every process but the migration Job (it exports no spans)', async () => {
    expect(egressOf(await render(['ci/minimal-values.yaml']), collector, 4318)).toEqual(only([]));
    const tracing = await render(['ci/minimal-values.yaml'], ['--set', 'tracing.otlpEndpoint=http://otel-collector.monitoring.svc:4318']);
    expect(egressOf(tracing, collector, 4318)).toEqual(only([...BACKEND]));
  });

  test('HTTPS out: media with Cloudinary, the gateway with a JWKS URL, no one else', async () => {
    expect(egressOf(await render(['ci/minimal-values.yaml']), cloudinary, 443)).toEqual(only(['media']));
    const local = await render(['ci/minimal-values.yaml'], ['--set', 'media.storage.provider=local']);
    expect(egressOf(local, cloudinary, 443)).toEqual(only([]));
    const jwks = await render(['ci/flags-10-percent-values.yaml']);
    expect(egressOf(jwks, cloudinary, 443)).toEqual(only(['gateway', 'media']));
  });
});

describe('the policies as objects', () => {
  test("the migration Job's policy is a hook of its run: created before the Job, with the Job's hook, removed when it succeeds", async () => {
    for (const [values, hook] of [
      ['ci/minimal-values.yaml', 'pre-install,pre-upgrade'],
      ['ci/bundled-database-values.yaml', 'post-install,pre-upgrade'],
    ] as const) {
      const objects = await render([values]);
      const policy = named(objects, 'NetworkPolicy', 'testmancer-migrate');
      const job = named(objects, 'Job', 'testmancer-migrate');
      const account = named(objects, 'ServiceAccount', 'testmancer-migrate');
      const weight = (object: K8sObject) => Number(object.metadata.annotations!['helm.sh/hook-weight']);
      expect(policy.metadata.annotations!['helm.sh/hook']).toBe(hook);
      expect(job.metadata.annotations!['helm.sh/hook']).toBe(hook);
      expect(weight(policy)).toBeLessThan(weight(job));
      expect(weight(policy)).toBeGreaterThan(weight(account));
      expect(policy.metadata.annotations!['helm.sh/hook-delete-policy']).toBe(job.metadata.annotations!['helm.sh/hook-delete-policy']);
      expect(policy.spec.policyTypes).toEqual(['Egress']);
    }
  });

  test('networkPolicy.enabled=false renders no policy at all', async () => {
    for (const values of ['ci/minimal-values.yaml', 'ci/bundled-database-values.yaml', 'ci/production-values.yaml']) {
      const objects = await render([values], ['--set', 'networkPolicy.enabled=false']);
      expect(byKind(objects, 'NetworkPolicy')).toEqual([]);
    }
  });
});
