import { readFileSync } from 'node:fs';
import path from 'node:path';
import { media as contracts } from '@testmancer/contracts';
import { BACKEND, CHART, K8sObject, NAMESPACE, ROOT, byKind, helm, named, podSpec, render, validateObjects } from './helm';

// The chart is proven by rendering it with real helm and validating every
// object against the Kubernetes and CRD schemas: no cluster runs here.
const VALUE_SETS = {
  minimal: ['ci/minimal-values.yaml'],
  production: ['ci/production-values.yaml'],
  flags10: ['ci/flags-10-percent-values.yaml'],
  bundled: ['ci/bundled-database-values.yaml'],
} as const;
type ValueSet = keyof typeof VALUE_SETS;

const rendered = {} as Record<ValueSet, K8sObject[]>;
const fullname = 'testmancer';
const name = (component: string) => `${fullname}-${component}`;

beforeAll(async () => {
  await Promise.all(
    (Object.keys(VALUE_SETS) as ValueSet[]).map(async (set) => {
      rendered[set] = await render([...VALUE_SETS[set]]);
    }),
  );
});

const workloadKinds = new Set(['Deployment', 'Rollout', 'StatefulSet', 'Job']);
const workloads = (objects: K8sObject[]) => objects.filter((object) => workloadKinds.has(object.kind));
const podLabels = (object: K8sObject): Record<string, string> => object.spec.template.metadata.labels;
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);
const container = (object: K8sObject) => podSpec(object).containers[0];
const envOf = (object: K8sObject, variable: string) => container(object).env?.find((entry: { name: string }) => entry.name === variable);
const backendWorkload = (objects: K8sObject[], component: string) =>
  objects.find((object) => (object.kind === 'Deployment' || object.kind === 'Rollout') && object.metadata.name === name(component))!;

describe('helm lint --strict', () => {
  test.each(Object.entries(VALUE_SETS))('passes with the %s values', async (_set, files) => {
    const result = await helm([
      'lint',
      '--strict',
      CHART,
      '--namespace',
      NAMESPACE,
      ...files.flatMap((file) => ['--values', path.join(CHART, file)]),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('0 chart(s) failed');
  });
});

describe('every rendered object is valid against the Kubernetes and CRD schemas', () => {
  test.each(Object.keys(VALUE_SETS))('%s values', (set) => {
    const objects = rendered[set as ValueSet];
    const results = validateObjects(objects);
    expect(results).toHaveLength(objects.length);
    expect(results.filter((result) => result.error !== null)).toEqual([]);
  });

  test('the validator rejects a wrong shape (it can fail)', () => {
    const deployment = structuredClone(backendWorkload(rendered.minimal, 'gateway'));
    deployment.spec.replicas = 'two';
    delete deployment.spec.selector;
    const rollout = structuredClone(backendWorkload(rendered.production, 'content'));
    rollout.spec.strategy.canary.steps = [{ setWeight: 'ten' }];
    const [badDeployment, badRollout] = validateObjects([deployment, rollout]);
    expect(badDeployment!.error).toMatch(/replicas must be integer|selector/);
    expect(badRollout!.error).toMatch(/setWeight/);
  });

  test('the sets render what they are for', () => {
    const kinds = (set: ValueSet) => [...new Set(rendered[set].map((object) => object.kind))].sort();
    expect(kinds('minimal')).toEqual([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
      'Job',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
    expect(kinds('production')).toEqual(
      [
        'AnalysisTemplate',
        'Certificate',
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'Ingress',
        'Job',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'PrometheusRule',
        'Rollout',
        'Service',
        'ServiceAccount',
        'ServiceMonitor',
      ].sort(),
    );
    expect(kinds('bundled')).toEqual(expect.arrayContaining(['Secret', 'StatefulSet']));
  });
});

describe('the migration Job', () => {
  test('is a pre-install,pre-upgrade hook after its ServiceAccount, replaced before each run, with a deadline and a backoff', () => {
    const job = named(rendered.production, 'Job', name('migrate'));
    const account = named(rendered.production, 'ServiceAccount', name('migrate'));
    expect(job.metadata.annotations).toEqual({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-weight': '-5',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    expect(account.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(Number(account.metadata.annotations!['helm.sh/hook-weight'])).toBeLessThan(
      Number(job.metadata.annotations!['helm.sh/hook-weight']),
    );
    expect(account.metadata.annotations!['helm.sh/hook-delete-policy']).toBe('before-hook-creation');
    expect(job.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 3600 });
    expect(podSpec(job)).toMatchObject({ restartPolicy: 'Never', serviceAccountName: name('migrate') });
  });

  test('runs the migration runner from the backend image with the database Secret and name', () => {
    const job = named(rendered.production, 'Job', name('migrate'));
    expect(container(job).command).toEqual(['npm', 'run', 'migrate:up', '--', '--environment', 'production', '--backup']);
    expect(container(job).image).toBe('ghcr.io/testmancer/testmancer:3f2c1a9');
    for (const component of BACKEND) expect(container(backendWorkload(rendered.production, component)).image).toBe(container(job).image);
    expect(envOf(job, 'MONGODB_URI')).toEqual({
      name: 'MONGODB_URI',
      valueFrom: { secretKeyRef: { name: 'testmancer-mongodb', key: 'uri' } },
    });
    expect(envOf(job, 'MONGODB_DB')).toEqual({ name: 'MONGODB_DB', value: 'testmancer' });
  });

  test('with the bundled database it first runs after install (the database does not exist before)', () => {
    const job = named(rendered.bundled, 'Job', name('migrate'));
    expect(job.metadata.annotations!['helm.sh/hook']).toBe('post-install,pre-upgrade');
    expect(envOf(job, 'MONGODB_URI').valueFrom.secretKeyRef).toEqual({ name: name('mongodb'), key: 'MONGODB_URI' });
  });
});

describe('probes', () => {
  test('the gateway: alive on /health, ready on /ready', () => {
    const gateway = container(backendWorkload(rendered.minimal, 'gateway'));
    expect(gateway.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(gateway.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(gateway.ports).toEqual([{ name: 'http', containerPort: 8080 }]);
  });

  test.each(['content', 'quiz', 'gems', 'media'])('%s: ready on gRPC health, alive while it answers', (component) => {
    const service = container(backendWorkload(rendered.minimal, component));
    expect(service.readinessProbe.grpc).toEqual({ port: 50051 });
    expect(service.livenessProbe.httpGet).toEqual({ path: '/metrics', port: 'metrics' });
    expect(service.startupProbe).toBeDefined();
    expect(service.args).toEqual([component]);
  });
});

describe('selectors', () => {
  test.each(Object.keys(VALUE_SETS))('%s: every selector picks the pods it is for', (set) => {
    const objects = rendered[set as ValueSet];
    for (const workload of workloads(objects).filter((object) => object.kind !== 'Job')) {
      expect(matches(workload.spec.selector.matchLabels, podLabels(workload))).toBe(true);
    }
    for (const service of byKind(objects, 'Service')) {
      const targets = workloads(objects).filter((workload) => matches(service.spec.selector, podLabels(workload)));
      expect(targets.map((target) => target.metadata.name)).toEqual([service.metadata.name]);
      for (const port of service.spec.ports) {
        expect(targets[0]!.spec.template.spec.containers[0].ports.map((p: { name: string }) => p.name)).toContain(port.targetPort);
      }
    }
    for (const budget of byKind(objects, 'PodDisruptionBudget')) {
      expect(workloads(objects).filter((workload) => matches(budget.spec.selector.matchLabels, podLabels(workload)))).toHaveLength(1);
    }
    for (const autoscaler of byKind(objects, 'HorizontalPodAutoscaler')) {
      const target = named(objects, autoscaler.spec.scaleTargetRef.kind, autoscaler.spec.scaleTargetRef.name);
      expect(target.apiVersion).toBe(autoscaler.spec.scaleTargetRef.apiVersion);
      expect(target.spec.replicas).toBeUndefined(); // the autoscaler owns the count
    }
    for (const monitor of byKind(objects, 'ServiceMonitor')) {
      expect(
        byKind(objects, 'Service').filter((service) => matches(monitor.spec.selector.matchLabels, service.metadata.labels!)),
      ).toHaveLength(1);
    }
  });

  test('the Ingress sends the API and the health checks to the gateway', () => {
    const ingress = byKind(rendered.production, 'Ingress')[0]!;
    const paths = ingress.spec.rules[0].http.paths.map((p: any) => [p.path, p.backend.service.name]);
    expect(paths).toEqual([
      ['/api', name('gateway')],
      ['/health', name('gateway')],
      ['/ready', name('gateway')],
      ['/admin', name('admin-frontend')],
      ['/', name('student-frontend')],
    ]);
    expect(ingress.spec.rules[0].host).toBe('api.testmancer.com');
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.testmancer.com'], secretName: 'api-testmancer-com-tls' }]);
  });
});

describe('secrets are referenced, never inlined', () => {
  test.each(['minimal', 'production', 'flags10'])('%s: no Secret, no connection string, no key in any object', (set) => {
    const objects = rendered[set as ValueSet];
    expect(byKind(objects, 'Secret')).toEqual([]);
    const text = JSON.stringify(objects);
    expect(text).not.toMatch(/mongodb(\+srv)?:\/\//);
    for (const workload of workloads(objects)) {
      for (const variable of ['MONGODB_URI', 'JWT_SECRET']) {
        const entry = envOf(workload, variable);
        if (entry) expect(Object.keys(entry).sort()).toEqual(['name', 'valueFrom']);
      }
    }
    const gateway = backendWorkload(objects, 'gateway');
    if (set !== 'flags10')
      expect(envOf(gateway, 'JWT_SECRET').valueFrom.secretKeyRef).toEqual({ name: 'testmancer-auth', key: 'JWT_SECRET' });
    for (const component of ['content', 'quiz', 'gems', 'media']) {
      expect(envOf(backendWorkload(objects, component), 'MONGODB_URI').valueFrom.secretKeyRef.name).toBe('testmancer-mongodb');
    }
    expect(envOf(gateway, 'MONGODB_URI')).toBeUndefined(); // the gateway has no database
  });
});

describe('NetworkPolicies', () => {
  const ingressPolicies = (objects: K8sObject[]) =>
    byKind(objects, 'NetworkPolicy').filter((policy) => policy.spec.policyTypes.includes('Ingress'));
  const policyFor = (objects: K8sObject[], workload: K8sObject) =>
    ingressPolicies(objects).filter((policy) => matches(policy.spec.podSelector.matchLabels, podLabels(workload)));

  test.each(['minimal', 'production', 'bundled'])('%s: every pod is covered by an ingress policy', (set) => {
    const objects = rendered[set as ValueSet];
    for (const workload of workloads(objects).filter((object) => object.kind !== 'Job')) {
      expect([workload.metadata.name, policyFor(objects, workload).length]).toEqual([workload.metadata.name, 1]);
    }
  });

  test('only its callers reach a gRPC service (network-policies.test.ts asks it of both ends of every pair)', () => {
    const objects = rendered.minimal;
    const callers = { content: ['gateway', 'quiz', 'media'], quiz: ['gateway'], gems: ['gateway', 'quiz'], media: ['gateway', 'content'] };
    for (const [service, expected] of Object.entries(callers)) {
      const [policy] = policyFor(objects, backendWorkload(objects, service));
      const grpcRule = policy!.spec.ingress.find((rule: any) => rule.ports.some((port: any) => port.port === 'grpc'));
      const allowed = workloads(objects).filter((workload) =>
        grpcRule.from.some((peer: any) => peer.podSelector && matches(peer.podSelector.matchLabels, podLabels(workload))),
      );
      expect(allowed.map((workload) => workload.metadata.name).sort()).toEqual(expected.map(name).sort());
      expect(grpcRule.from.every((peer: any) => peer.podSelector && !peer.namespaceSelector)).toBe(true);
    }
  });

  test('only the services and the migration Job reach the database', () => {
    const objects = rendered.bundled;
    const database = named(objects, 'StatefulSet', name('mongodb'));
    const [policy] = policyFor(objects, database);
    const peers = policy!.spec.ingress.flatMap((rule: any) => rule.from);
    const allowed = workloads(objects).filter((workload) =>
      peers.some((peer: any) => peer.podSelector && matches(peer.podSelector.matchLabels, podLabels(workload))),
    );
    expect(allowed.map((workload) => workload.metadata.name).sort()).toEqual([
      name('content'),
      name('gems'),
      name('media'),
      name('migrate'),
      name('quiz'),
    ]);
    // The gateway cannot reach an external database either: its egress goes to the services and DNS only.
    const gatewayPolicy = byKind(objects, 'NetworkPolicy').find((p) => p.metadata.name === name('gateway'))!;
    expect(gatewayPolicy.spec.policyTypes).toContain('Egress');
    expect(gatewayPolicy.spec.egress.flatMap((rule: any) => (rule.ports ?? []).map((port: any) => port.port))).not.toContain(27017);
  });
});

describe('delivery: Argo Rollouts when enabled, rolling updates when not', () => {
  test('without Argo Rollouts every backend process is a Deployment with a surge-only rolling update', () => {
    expect(byKind(rendered.minimal, 'Rollout')).toEqual([]);
    expect(byKind(rendered.minimal, 'AnalysisTemplate')).toEqual([]);
    for (const component of BACKEND) {
      const deployment = named(rendered.minimal, 'Deployment', name(component));
      expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    }
  });

  test.each(BACKEND)('with Argo Rollouts %s is a canary 10 -> 25 -> 50 -> 100 %% with pauses and an aborting analysis', (component) => {
    const objects = rendered.production;
    expect(objects.some((object) => object.kind === 'Deployment' && object.metadata.name === name(component))).toBe(false);
    const rollout = named(objects, 'Rollout', name(component));
    const { canary } = rollout.spec.strategy;
    expect(canary.steps).toEqual([
      { setWeight: 10 },
      { pause: { duration: '120s' } },
      { setWeight: 25 },
      { pause: { duration: '120s' } },
      { setWeight: 50 },
      { pause: { duration: '120s' } },
      { setWeight: 100 },
    ]);
    const template = named(objects, 'AnalysisTemplate', canary.analysis.templates[0].templateName);
    expect(template.metadata.name).toBe(name(component === 'gateway' ? 'http-analysis' : 'grpc-analysis'));
    expect(canary.analysis.args).toEqual([
      { name: 'service', value: component },
      { name: 'namespace', value: NAMESPACE },
      { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
    ]);
    expect(template.spec.args.map((arg: { name: string }) => arg.name)).toEqual(['service', 'namespace', 'canary-hash']);
  });

  test('the analyses fail (and so abort) on an error rate over 5 % or a p95 over 0.5 s of the canary pods', () => {
    for (const template of byKind(rendered.production, 'AnalysisTemplate')) {
      const [errors, latency] = template.spec.metrics;
      expect(errors).toMatchObject({ name: 'error-rate', failureLimit: 1, successCondition: 'isNaN(result[0]) || result[0] <= 0.05' });
      expect(latency).toMatchObject({ name: 'p95-latency', failureLimit: 1, successCondition: 'isNaN(result[0]) || result[0] <= 0.5' });
      for (const metric of template.spec.metrics) {
        expect(metric.provider.prometheus.address).toBe('http://prometheus-operated.monitoring.svc:9090');
        expect(metric.provider.prometheus.query).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
      }
    }
    // The canary's pods are told apart by the label the ServiceMonitors copy.
    for (const monitor of byKind(rendered.production, 'ServiceMonitor'))
      expect(monitor.spec.podTargetLabels).toEqual(['rollouts-pod-template-hash']);
  });
});

describe('configuration and flags', () => {
  const flagsMap = (objects: K8sObject[]) => named(objects, 'ConfigMap', name('flags')).data!;

  test('the flag values reach the flags ConfigMap and the gateway reads them from it; frontends ask the gateway per user', () => {
    expect(flagsMap(rendered.flags10)).toMatchObject({
      STRUCTURED_COURSES_ENABLED: '10%',
      PAGE_QUIZZES_ENABLED: 'true',
      USE_MODULES_TERMINOLOGY: 'false',
    });
    expect(flagsMap(rendered.minimal)).toMatchObject({
      STRUCTURED_COURSES_ENABLED: '',
      PAGE_QUIZZES_ENABLED: '',
      USE_MODULES_TERMINOLOGY: '',
    });
    const gateway = backendWorkload(rendered.flags10, 'gateway');
    expect(envOf(gateway, 'STRUCTURED_COURSES_ENABLED').valueFrom.configMapKeyRef).toEqual({
      name: name('flags'),
      key: 'STRUCTURED_COURSES_ENABLED',
    });
    for (const which of ['admin-frontend', 'student-frontend']) {
      const frontend = named(rendered.production, 'Deployment', name(which));
      expect(container(frontend).env.map((variable: { name: string }) => variable.name)).toEqual(['PORT', 'BASE_PATH']);
    }
  });

  test('with a client id, a frontend signs people in through the provider whose tokens the gateway trusts', async () => {
    const issuer = 'https://id.school.example/realms/staff';
    const objects = await render(
      ['ci/production-values.yaml'],
      [
        '--set',
        `auth.jwksUrl=${issuer}/protocol/openid-connect/certs`,
        '--set',
        `auth.issuer=${issuer}`,
        '--set',
        'auth.audience=testmancer',
        '--set',
        'frontends.admin.oidcClientId=testmancer-admin',
      ],
    );
    const env = container(named(objects, 'Deployment', name('admin-frontend'))).env;
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'OIDC_ISSUER', value: issuer },
        { name: 'OIDC_CLIENT_ID', value: 'testmancer-admin' },
      ]),
    );
  });

  test('the flag definitions are the repository flags/flags.json, mounted where FLAGS_FILE points', () => {
    expect(JSON.parse(flagsMap(rendered.minimal)['flags.json']!)).toEqual(
      JSON.parse(readFileSync(path.join(ROOT, 'flags/flags.json'), 'utf8')),
    );
    const config = named(rendered.minimal, 'ConfigMap', name('config')).data!;
    const gateway = backendWorkload(rendered.minimal, 'gateway');
    const mount = container(gateway).volumeMounts.find((m: { name: string }) => m.name === 'flags');
    expect(path.join(mount.mountPath, 'flags.json')).toBe(config.FLAGS_FILE);
  });

  test('a flag change rolls the pods (the gateway reads its flags at start)', async () => {
    const checksum = (objects: K8sObject[]) => backendWorkload(objects, 'gateway').spec.template.metadata.annotations['checksum/config'];
    const at100 = await render(['ci/flags-10-percent-values.yaml'], ['--set-string', 'flags.STRUCTURED_COURSES_ENABLED=100%']);
    expect(checksum(at100)).not.toBe(checksum(rendered.flags10));
    expect(flagsMap(at100).STRUCTURED_COURSES_ENABLED).toBe('100%');
  });

  test('the configuration ConfigMap gives every process its ports, database name and service addresses', () => {
    expect(named(rendered.minimal, 'ConfigMap', name('config')).data).toMatchObject({
      MONGODB_DB: 'testmancer',
      GRPC_PORT: '50051',
      METRICS_PORT: '9464',
      HTTP_PORT: '8080',
      CONTENT_ADDR: `${name('content')}:50051`,
      QUIZ_ADDR: `${name('quiz')}:50051`,
      GEMS_ADDR: `${name('gems')}:50051`,
      MEDIA_ADDR: `${name('media')}:50051`,
    });
  });

  test('the legacy bridge: on for quiz and gems until the contract step switches it off', async () => {
    for (const component of ['quiz', 'gems'])
      expect(envOf(backendWorkload(rendered.production, component), 'LEGACY_BRIDGE').value).toBe('on');
    for (const component of ['content', 'media', 'gateway'])
      expect(envOf(backendWorkload(rendered.production, component), 'LEGACY_BRIDGE')).toBeUndefined();
    const off = await render(['ci/minimal-values.yaml'], ['--set', 'legacyBridge.enabled=false']);
    for (const component of ['quiz', 'gems']) expect(envOf(backendWorkload(off, component), 'LEGACY_BRIDGE').value).toBe('off');
  });

  test('tracing: parent-based ratio sampling from values, the collector when one is set', () => {
    for (const component of BACKEND) {
      const workload = backendWorkload(rendered.production, component);
      expect(envOf(workload, 'OTEL_SERVICE_NAME').value).toBe(component);
      expect(envOf(workload, 'OTEL_TRACES_SAMPLER').value).toBe('parentbased_traceidratio');
      expect(envOf(workload, 'OTEL_TRACES_SAMPLER_ARG').value).toBe('0.1');
      expect(envOf(workload, 'OTEL_EXPORTER_OTLP_ENDPOINT').value).toBe('http://otel-collector.monitoring.svc:4318');
      expect(envOf(workload, 'OTEL_EXPORTER_OTLP_PROTOCOL').value).toBe('http/protobuf');
      // The image tag as service.version tells a canary's spans from the stable ones'; the pod name comes from the downward API.
      expect(envOf(workload, 'OTEL_POD_NAME').valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
      expect(envOf(workload, 'OTEL_RESOURCE_ATTRIBUTES').value).toBe(
        `service.version=3f2c1a9,k8s.namespace.name=${NAMESPACE},k8s.pod.name=$(OTEL_POD_NAME)`,
      );
      // Kubernetes expands $(OTEL_POD_NAME) only when it is defined before.
      const names = container(workload).env.map((entry: { name: string }) => entry.name);
      expect(names.indexOf('OTEL_POD_NAME')).toBeLessThan(names.indexOf('OTEL_RESOURCE_ATTRIBUTES'));
    }
    // Without a collector nothing is exported, but sampling is still set (trace ids still reach the logs and the services).
    const content = backendWorkload(rendered.minimal, 'content');
    expect(envOf(content, 'OTEL_TRACES_SAMPLER_ARG').value).toBe('0.1');
    for (const variable of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_RESOURCE_ATTRIBUTES'])
      expect(envOf(content, variable)).toBeUndefined();
  });

  test('tracing: 100 % sampling (as the tests run) and another protocol come from values', async () => {
    const objects = await render(
      ['ci/production-values.yaml'],
      [
        '--set',
        'tracing.samplerRatio=1',
        '--set',
        'tracing.protocol=grpc',
        '--set',
        'tracing.otlpEndpoint=http://otel-collector.monitoring.svc:4317',
      ],
    );
    for (const component of BACKEND) {
      const workload = backendWorkload(objects, component);
      expect(envOf(workload, 'OTEL_TRACES_SAMPLER_ARG').value).toBe('1');
      expect(envOf(workload, 'OTEL_EXPORTER_OTLP_PROTOCOL').value).toBe('grpc');
    }
  });

  test.each([
    ['http://otel-collector.monitoring.svc:4318', 4318],
    ['http://otel-collector.monitoring.svc:4317', 4317],
    ['https://otlp.example.com', 443],
    ['http://otel-collector.monitoring.svc', 80],
  ])('tracing: the gateway may reach the collector %s on port %d, and only with a collector', async (endpoint, port) => {
    const egress = (objects: K8sObject[]): unknown[] =>
      byKind(objects, 'NetworkPolicy').find((policy) => policy.metadata.name === name('gateway'))!.spec.egress;
    const objects = await render(['ci/minimal-values.yaml'], ['--set', `tracing.otlpEndpoint=${endpoint}`]);
    const without = egress(rendered.minimal);
    const added = egress(objects).filter((rule) => !without.some((other) => JSON.stringify(other) === JSON.stringify(rule)));
    expect(added).toEqual([{ ports: [{ port, protocol: 'TCP' }] }]);
  });

  test('pods run as non-root with a read-only root filesystem', () => {
    for (const workload of workloads(rendered.production)) {
      expect(podSpec(workload).securityContext.runAsNonRoot).toBe(true);
      expect(container(workload).securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    }
  });
});

describe('monitoring', () => {
  test('a ServiceMonitor per backend process, keeping the service label each process sets', () => {
    const monitors = byKind(rendered.production, 'ServiceMonitor');
    expect(monitors.map((monitor) => monitor.metadata.name).sort()).toEqual(BACKEND.map(name).sort());
    for (const monitor of monitors) expect(monitor.spec.endpoints[0]).toMatchObject({ path: '/metrics', honorLabels: true });
  });

  test('the Grafana dashboard holds the key metrics of the guide, feature adoption included', () => {
    const chartDashboard = JSON.parse(readFileSync(path.join(CHART, 'files/dashboard.json'), 'utf8'));
    const rendered = render(['ci/minimal-values.yaml'], ['--set', 'monitoring.dashboard.enabled=true']);
    return rendered.then((objects) => {
      const dashboard = JSON.parse(named(objects, 'ConfigMap', name('dashboard')).data!['testmancer.json']!);
      expect(dashboard).toEqual(chartDashboard);
      const titles = dashboard.panels.map((panel: { title: string }) => panel.title).join('\n');
      for (const expected of [
        'error rate',
        'response time',
        'connection pool',
        'CPU',
        'Memory',
        'Media',
        'Feature adoption',
        'Admin activity',
        'Quiz submissions',
        'Gems',
      ]) {
        expect(titles).toContain(expected);
      }
    });
  });
});

describe('media storage', () => {
  test('Cloudinary by default: the URL from its Secret, uploads staged on a size-limited emptyDir of the pod, no files volume', async () => {
    const media = backendWorkload(await render(['ci/minimal-values.yaml']), 'media');
    expect(envOf(media, 'MEDIA_PROVIDER').value).toBe('cloudinary');
    expect(envOf(media, 'CLOUDINARY_URL').valueFrom).toEqual({ secretKeyRef: { name: 'testmancer-cloudinary', key: 'CLOUDINARY_URL' } });
    expect(envOf(media, 'MEDIA_STAGING_DIR').value).toBe('/var/lib/testmancer/staging');
    expect(podSpec(media).volumes).toContainEqual({ name: 'media-staging', emptyDir: { sizeLimit: '4Gi' } });
    expect(container(media).volumeMounts).toContainEqual({ name: 'media-staging', mountPath: '/var/lib/testmancer/staging' });
    expect(podSpec(media).volumes.map((volume: { name: string }) => volume.name)).not.toContain('media-files');
    // The other processes stage nothing.
    for (const component of BACKEND.filter((c) => c !== 'media'))
      expect(podSpec(backendWorkload(rendered.minimal, component)).volumes.map((volume: { name: string }) => volume.name)).not.toContain(
        'media-staging',
      );
  });

  test('upload concurrency from values: per pod and per user, default 8 and 2', async () => {
    const media = backendWorkload(rendered.minimal, 'media');
    expect(envOf(media, 'MEDIA_UPLOADS_PER_POD').value).toBe('8');
    expect(envOf(media, 'MEDIA_UPLOADS_PER_USER').value).toBe('2');
    const tuned = backendWorkload(
      await render(
        ['ci/minimal-values.yaml'],
        ['--set', 'media.uploads.perPod=3', '--set', 'media.uploads.perUser=1', '--set', 'media.uploads.stagingSizeLimit=1536Mi'],
      ),
      'media',
    );
    expect(envOf(tuned, 'MEDIA_UPLOADS_PER_POD').value).toBe('3');
    expect(envOf(tuned, 'MEDIA_UPLOADS_PER_USER').value).toBe('1');
    expect(podSpec(tuned).volumes).toContainEqual({ name: 'media-staging', emptyDir: { sizeLimit: '1536Mi' } });
  });

  test('the staging emptyDir must hold perPod of the largest upload (packages/contracts MAX_BYTES, or media.env), else the chart refuses', async () => {
    const largest = Math.max(...Object.values(contracts.MAX_BYTES));
    const MiB = 1024 * 1024;
    const withUploads = (perPod: number, limitMiB: number, extra: string[] = []) =>
      render(
        ['ci/minimal-values.yaml'],
        ['--set', `media.uploads.perPod=${perPod}`, '--set', `media.uploads.stagingSizeLimit=${limitMiB}Mi`, ...extra],
      );
    await expect(withUploads(5, (5 * largest) / MiB)).resolves.toBeDefined();
    await expect(withUploads(5, (5 * largest) / MiB - 1)).rejects.toThrow(
      `media.uploads: stagingSizeLimit ${(5 * largest) / MiB - 1}Mi cannot hold perPod (5) uploads of the largest size (${largest} bytes), which needs at least ${(5 * largest) / MiB}Mi`,
    );
    // A larger video limit in media.env counts; so does the default, 8 uploads in 4Gi.
    await expect(withUploads(5, (5 * largest) / MiB, ['--set-string', `media.env.MEDIA_VIDEO_MAX_BYTES=${largest + MiB}`])).rejects.toThrow(
      /cannot hold perPod \(5\)/,
    );
    expect(8 * largest).toBeLessThanOrEqual(4 * 1024 * MiB);
    // The local provider stages beside its files: no emptyDir, no limit to check.
    await expect(withUploads(5, 1, ['--set', 'media.storage.provider=local'])).resolves.toBeDefined();
  });

  test('local: the files on the given claim, staged beside them, no Cloudinary secret', async () => {
    const media = backendWorkload(
      await render(
        ['ci/minimal-values.yaml'],
        ['--set', 'media.storage.provider=local', '--set', 'media.storage.local.existingClaim=media-files'],
      ),
      'media',
    );
    expect(envOf(media, 'MEDIA_PROVIDER').value).toBe('local');
    expect(envOf(media, 'MEDIA_LOCAL_DIR').value).toBe('/var/lib/testmancer/media');
    expect(envOf(media, 'MEDIA_STAGING_DIR').value).toBe('/var/lib/testmancer/media/.staging');
    expect(podSpec(media).volumes.map((volume: { name: string }) => volume.name)).not.toContain('media-staging');
    expect(envOf(media, 'CLOUDINARY_URL')).toBeUndefined();
    expect(podSpec(media).volumes).toContainEqual({ name: 'media-files', persistentVolumeClaim: { claimName: 'media-files' } });
    expect(container(media).volumeMounts).toContainEqual({ name: 'media-files', mountPath: '/var/lib/testmancer/media' });
  });

  test('an unknown provider is refused by the schema', async () => {
    await expect(render(['ci/minimal-values.yaml'], ['--set', 'media.storage.provider=s3'])).rejects.toThrow(/provider/);
  });
});
