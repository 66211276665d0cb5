import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DeployUsageError, deployPlan, readDeployEnvironment, type DeployEnvironment } from '@testmancer/deploy';
import { startFakeKube, storedRelease, type FakeKube } from './fake-kube';
import { K8sObject, ROOT, byKind, helmBinary, named, parseObjects, validateObjects } from './helm';

// The deploy commands of operations.md. The plan is unit-tested; then each
// command the guide names is run as the operator runs it (`npm run
// deploy:...` from the project's root, the guide's variables in the
// environment) with the real helm, against helm's own fake Kubernetes client
// (memory storage driver) and a discovery server of this test: what the
// cluster would do (apply, wait, run the hook Job) is not exercised.
const run = promisify(execFile);

const environment = (overrides: Partial<DeployEnvironment> = {}): DeployEnvironment => ({
  release: 'testmancer',
  namespace: 'testmancer',
  valuesFiles: [],
  imageTag: 'abc123',
  frontendImageTag: 'abc123',
  timeout: '15m',
  flags: {},
  ...overrides,
});

describe('deployPlan: one function builds every helm invocation', () => {
  test('deploy:backend upgrades (or installs) the release with the backend image and the flag variables, keeping its other values', () => {
    expect(deployPlan('backend', environment({ flags: { STRUCTURED_COURSES_ENABLED: 'false' } }))).toEqual([
      {
        description: 'deploy backend to testmancer in testmancer',
        args: [
          'upgrade',
          '--install',
          'testmancer',
          'charts/testmancer',
          '--namespace',
          'testmancer',
          '--reset-then-reuse-values',
          '--set-string',
          'image.tag=abc123',
          '--set-string',
          'flags.STRUCTURED_COURSES_ENABLED=false',
          '--atomic',
          '--wait',
          '--timeout',
          '15m',
        ],
      },
    ]);
  });

  test('the frontend commands enable their frontends with their image', () => {
    const args = (target: 'admin-frontend' | 'student-frontend' | 'frontend') =>
      deployPlan(target, environment({ frontendImageTag: 'web7' }))[0]!.args;
    expect(args('admin-frontend')).toEqual(expect.arrayContaining(['frontends.admin.enabled=true', 'frontends.admin.image.tag=web7']));
    expect(args('admin-frontend').join(' ')).not.toContain('student');
    expect(args('student-frontend')).toEqual(
      expect.arrayContaining(['frontends.student.enabled=true', 'frontends.student.image.tag=web7']),
    );
    expect(args('frontend')).toEqual(expect.arrayContaining(['frontends.admin.enabled=true', 'frontends.student.enabled=true']));
    for (const target of ['admin-frontend', 'student-frontend', 'frontend'] as const)
      expect(args(target).join(' ')).not.toContain('image.tag=abc123');
  });

  test('deploy:full-rollback rolls back, then applies flag variables without hooks', () => {
    expect(deployPlan('full-rollback', environment()).map((step) => step.args)).toEqual([
      ['rollback', 'testmancer', '--namespace', 'testmancer', '--wait', '--timeout', '15m'],
    ]);
    const [rollback, flags] = deployPlan(
      'full-rollback',
      environment({ rollbackRevision: 4, flags: { STRUCTURED_COURSES_ENABLED: 'false' } }),
    );
    expect(rollback!.args.slice(0, 3)).toEqual(['rollback', 'testmancer', '4']);
    expect(flags!.args).toEqual([
      'upgrade',
      'testmancer',
      'charts/testmancer',
      '--namespace',
      'testmancer',
      '--reset-then-reuse-values',
      '--no-hooks',
      '--set-string',
      'flags.STRUCTURED_COURSES_ENABLED=false',
      '--wait',
      '--timeout',
      '15m',
    ]);
  });

  test('the environment: defaults, values files, kube context, and every bad variable named at once', () => {
    expect(readDeployEnvironment({}, () => 'c0ffee')).toEqual(environment({ imageTag: 'c0ffee', frontendImageTag: 'c0ffee' }));
    const env = readDeployEnvironment(
      {
        HELM_RELEASE: 'tm',
        HELM_NAMESPACE: 'prod',
        KUBE_CONTEXT: 'eu',
        DEPLOY_VALUES: 'a.yaml, b.yaml',
        IMAGE_TAG: 'v1',
        PAGE_QUIZZES_ENABLED: 'OFF',
        USE_MODULES_TERMINOLOGY: '',
      },
      () => 'unused',
    );
    expect(env).toMatchObject({
      release: 'tm',
      namespace: 'prod',
      kubeContext: 'eu',
      valuesFiles: ['a.yaml', 'b.yaml'],
      imageTag: 'v1',
      flags: { PAGE_QUIZZES_ENABLED: 'off' },
    });
    expect(deployPlan('backend', env)[0]!.args).toEqual(
      expect.arrayContaining(['--kube-context', 'eu', '--values', 'a.yaml', '--values', 'b.yaml']),
    );
    expect(() =>
      readDeployEnvironment({ STRUCTURED_COURSES_ENABLED: 'yes', DEPLOY_TIMEOUT: 'soon', ROLLBACK_REVISION: 'previous' }, () => 'c0ffee'),
    ).toThrow(
      new DeployUsageError(
        'invalid deploy configuration:\n' +
          '  - DEPLOY_TIMEOUT: must be a duration such as 15m, got "soon"\n' +
          '  - ROLLBACK_REVISION: must be a release revision (1, 2, ...), got "previous"\n' +
          '  - STRUCTURED_COURSES_ENABLED: expected true/false, on/off, 1/0 or a percentage from 0% to 100%, got "yes"',
      ),
    );
  });
});

describe('the deploy commands, run as the guide runs them', () => {
  let kube: FakeKube;
  beforeAll(async () => {
    kube = await startFakeKube();
  });
  afterAll(async () => {
    await kube.close();
  });

  const guideVariables = [
    'STRUCTURED_COURSES_ENABLED',
    'PAGE_QUIZZES_ENABLED',
    'USE_MODULES_TERMINOLOGY',
    'IMAGE_TAG',
    'FRONTEND_IMAGE_TAG',
    'DEPLOY_VALUES',
    'ROLLBACK_REVISION',
    'HELM_RELEASE',
    'HELM_NAMESPACE',
    'KUBE_CONTEXT',
  ];

  async function npmRun(script: string, variables: Record<string, string>, releases: unknown[] = [], args: string[] = []) {
    const env = kube.env(releases);
    for (const name of guideVariables) delete env[name];
    Object.assign(env, { HELM: helmBinary(), IMAGE_TAG: 'abc123' }, variables);
    try {
      const { stdout, stderr } = await run('npm', ['run', '-s', script, ...(args.length > 0 ? ['--', ...args] : [])], {
        cwd: ROOT,
        env,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failure.code ?? 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
    }
  }

  /** The objects helm --debug printed for the last release: its hooks and its manifest. */
  function released(stdout: string): { hooks: K8sObject[]; manifest: K8sObject[]; userValues: string } {
    const last = stdout.lastIndexOf('USER-SUPPLIED VALUES:');
    expect(last).toBeGreaterThan(-1);
    const text = stdout.slice(last);
    const section = (from: string, to: string) => text.slice(text.indexOf(from) + from.length, text.indexOf(to));
    return {
      userValues: section('USER-SUPPLIED VALUES:', 'COMPUTED VALUES:'),
      hooks: parseObjects(section('HOOKS:', 'MANIFEST:')),
      manifest: parseObjects(section('MANIFEST:', 'NOTES:')),
    };
  }
  const flags = (objects: K8sObject[]) => named(objects, 'ConfigMap', 'testmancer-flags').data!;
  const image = (objects: K8sObject[], component: string) =>
    named(objects, 'Deployment', `testmancer-${component}`).spec.template.spec.containers[0].image;
  const production = {
    mongodb: { existingSecret: { name: 'testmancer-mongodb' } },
    auth: { existingSecret: { name: 'testmancer-auth' } },
    serviceIdentity: { secretName: 'testmancer-service-keys' },
  };

  test('phase 2: STRUCTURED_COURSES_ENABLED=false npm run deploy:backend installs the release, migration hook first, the feature off', async () => {
    const result = await npmRun('deploy:backend', {
      STRUCTURED_COURSES_ENABLED: 'false',
      DEPLOY_VALUES: 'charts/testmancer/ci/minimal-values.yaml',
    });
    expect(result.stderr).not.toMatch(/error/i); // helm --debug logs its steps there
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '$ helm upgrade --install testmancer charts/testmancer --namespace testmancer --reset-then-reuse-values --values charts/testmancer/ci/minimal-values.yaml --set-string image.tag=abc123 --set-string flags.STRUCTURED_COURSES_ENABLED=false --atomic --wait --timeout 15m',
    );
    expect(result.stdout).toContain('Release "testmancer" does not exist. Installing it now.');
    expect(result.stdout).toContain('STATUS: deployed');
    expect(result.stdout).toContain('deploy:backend: done');
    const { hooks, manifest } = released(result.stdout);
    // Helm runs hooks by weight (its --debug listing has another order): the Job's account and policy, then the Job.
    const byWeight = [...hooks].sort(
      (a, b) => Number(a.metadata.annotations!['helm.sh/hook-weight']) - Number(b.metadata.annotations!['helm.sh/hook-weight']),
    );
    expect(byWeight.map((hook) => `${hook.kind}/${hook.metadata.name}`)).toEqual([
      'ServiceAccount/testmancer-migrate',
      'NetworkPolicy/testmancer-migrate',
      'Job/testmancer-migrate',
    ]);
    expect(flags(manifest).STRUCTURED_COURSES_ENABLED).toBe('false');
    expect(image(manifest, 'gateway')).toBe('ghcr.io/testmancer/testmancer:abc123');
    expect(validateObjects([...hooks, ...manifest]).filter((result) => result.error !== null)).toEqual([]);
    expect(kube.requests).toContain('/version');
  });

  test("phase 2: npm run deploy:admin-frontend adds the admin frontend and keeps the release's other values", async () => {
    const before = storedRelease(1, 'deployed', {
      ...production,
      image: { tag: 'backend1' },
      flags: { STRUCTURED_COURSES_ENABLED: 'false' },
    });
    const result = await npmRun('deploy:admin-frontend', { FRONTEND_IMAGE_TAG: 'web1' }, [before]);
    expect(result.code).toBe(0);
    const { manifest } = released(result.stdout);
    expect(image(manifest, 'admin-frontend')).toBe('ghcr.io/testmancer/web-admin:web1');
    expect(image(manifest, 'gateway')).toBe('ghcr.io/testmancer/testmancer:backend1');
    expect(byKind(manifest, 'Deployment').map((d) => d.metadata.name)).not.toContain('testmancer-student-frontend');
    expect(flags(manifest).STRUCTURED_COURSES_ENABLED).toBe('false');
  });

  test('phase 3: npm run deploy:student-frontend adds the student frontend', async () => {
    const before = storedRelease(2, 'deployed', {
      ...production,
      image: { tag: 'backend1' },
      frontends: { admin: { enabled: true, image: { tag: 'web1' } } },
    });
    const result = await npmRun('deploy:student-frontend', { FRONTEND_IMAGE_TAG: 'web2' }, [before]);
    expect(result.code).toBe(0);
    const { manifest } = released(result.stdout);
    expect(image(manifest, 'student-frontend')).toBe('ghcr.io/testmancer/web-student:web2');
    expect(image(manifest, 'admin-frontend')).toBe('ghcr.io/testmancer/web-admin:web1');
  });

  test('phase 3: STRUCTURED_COURSES_ENABLED=10% then true: npm run deploy:backend turns the feature on gradually', async () => {
    const before = storedRelease(3, 'deployed', {
      ...production,
      image: { tag: 'backend1' },
      flags: { STRUCTURED_COURSES_ENABLED: 'false' },
    });
    const tenPercent = await npmRun('deploy:backend', { STRUCTURED_COURSES_ENABLED: '10%', IMAGE_TAG: 'backend1' }, [before]);
    expect(tenPercent.code).toBe(0);
    expect(flags(released(tenPercent.stdout).manifest).STRUCTURED_COURSES_ENABLED).toBe('10%');
    const everyone = await npmRun('deploy:backend', { STRUCTURED_COURSES_ENABLED: 'true', IMAGE_TAG: 'backend1' }, [before]);
    expect(flags(released(everyone.stdout).manifest).STRUCTURED_COURSES_ENABLED).toBe('true');
  });

  test('partial rollbacks: PAGE_QUIZZES_ENABLED=false deploy:backend, USE_MODULES_TERMINOLOGY=true deploy:frontend', async () => {
    const before = storedRelease(4, 'deployed', {
      ...production,
      image: { tag: 'backend1' },
      flags: { STRUCTURED_COURSES_ENABLED: 'true' },
    });
    const quizzes = await npmRun('deploy:backend', { PAGE_QUIZZES_ENABLED: 'false', IMAGE_TAG: 'backend1' }, [before]);
    expect(quizzes.code).toBe(0);
    expect(flags(released(quizzes.stdout).manifest)).toMatchObject({ PAGE_QUIZZES_ENABLED: 'false', STRUCTURED_COURSES_ENABLED: 'true' });
    const terminology = await npmRun('deploy:frontend', { USE_MODULES_TERMINOLOGY: 'true', FRONTEND_IMAGE_TAG: 'web2' }, [before]);
    expect(terminology.code).toBe(0);
    const { manifest } = released(terminology.stdout);
    expect(flags(manifest)).toMatchObject({ USE_MODULES_TERMINOLOGY: 'true', STRUCTURED_COURSES_ENABLED: 'true' });
    expect(image(manifest, 'admin-frontend')).toBe('ghcr.io/testmancer/web-admin:web2');
    expect(image(manifest, 'student-frontend')).toBe('ghcr.io/testmancer/web-student:web2');
  });

  test('emergency rollback: npm run deploy:full-rollback returns to the previous revision, then applies the flag variables', async () => {
    const releases = [
      storedRelease(1, 'superseded', { ...production, image: { tag: 'backend1' } }),
      storedRelease(2, 'deployed', { ...production, image: { tag: 'backend2' }, flags: { STRUCTURED_COURSES_ENABLED: 'true' } }),
    ];
    const result = await npmRun('deploy:full-rollback', { STRUCTURED_COURSES_ENABLED: 'false' }, releases);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('$ helm rollback testmancer --namespace testmancer --wait --timeout 15m');
    expect(result.stderr).toContain('rolling back testmancer (current: v2, target: v1)');
    expect(result.stdout).toContain('Rollback was a success!');
    expect(result.stdout).toContain('--no-hooks --set-string flags.STRUCTURED_COURSES_ENABLED=false');
    // Each helm process loads the stored releases anew, so the second step sees revision 2 again, not the rollback's result.
    expect(flags(released(result.stdout).manifest).STRUCTURED_COURSES_ENABLED).toBe('false');
  });

  test('--json reports each step and its exit code', async () => {
    const result = await npmRun(
      'deploy:full-rollback',
      { ROLLBACK_REVISION: '1' },
      [storedRelease(1, 'superseded', production), storedRelease(2, 'deployed', production)],
      ['--json'],
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toEqual({
      target: 'full-rollback',
      ok: true,
      steps: [
        {
          description: 'roll testmancer back to revision 1',
          command: [helmBinary(), 'rollback', 'testmancer', '1', '--namespace', 'testmancer', '--wait', '--timeout', '15m'],
          exitCode: 0,
        },
      ],
    });
  });

  test('a release from before the service keys: the upgrade is refused until the Secret is named once, then kept', async () => {
    const { serviceIdentity: _, ...withoutKeys } = production;
    const before = storedRelease(5, 'deployed', { ...withoutKeys, image: { tag: 'backend1' } });
    const refused = await npmRun('deploy:backend', { IMAGE_TAG: 'backend2' }, [before]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('serviceIdentity: set serviceIdentity.secretName');
    // What the README says to run once: extra flags go on to helm, and --reset-then-reuse-values keeps them for later deploys.
    const withKeys = await npmRun(
      'deploy:backend',
      { IMAGE_TAG: 'backend2' },
      [before],
      ['--set-string', 'serviceIdentity.secretName=testmancer-service-keys'],
    );
    expect(withKeys.code).toBe(0);
    const { manifest, userValues } = released(withKeys.stdout);
    expect(userValues).toContain('secretName: testmancer-service-keys');
    const gateway = named(manifest, 'Deployment', 'testmancer-gateway').spec.template.spec.containers[0];
    expect(gateway.env.find((entry: { name: string }) => entry.name === 'SERVICE_KEY').valueFrom.secretKeyRef).toEqual({
      name: 'testmancer-service-keys',
      key: 'gateway.key',
    });
  });

  test("the README's switch to gRPC over mutual TLS with cert-manager: a Certificate per process, each mounting its own", async () => {
    const before = storedRelease(6, 'deployed', { ...production, image: { tag: 'backend1' } });
    const result = await npmRun(
      'deploy:backend',
      { IMAGE_TAG: 'backend1' },
      [before],
      ['--set', 'grpcTls.enabled=true', '--set-string', 'grpcTls.certManager.issuerRef.name=testmancer-grpc-ca'],
    );
    expect(result.code).toBe(0);
    const { manifest } = released(result.stdout);
    expect(
      byKind(manifest, 'Certificate')
        .map((certificate) => certificate.spec.secretName)
        .sort(),
    ).toEqual(['content', 'gateway', 'gems', 'media', 'quiz'].map((process) => `testmancer-${process}-grpc-tls`));
    for (const process of ['gateway', 'content']) {
      const volumes = named(manifest, 'Deployment', `testmancer-${process}`).spec.template.spec.volumes;
      expect(volumes).toContainEqual({ name: 'grpc-tls', secret: { secretName: `testmancer-${process}-grpc-tls`, defaultMode: 0o440 } });
    }
  });

  test('a bad flag variable is refused before helm runs', async () => {
    const result = await npmRun('deploy:backend', { STRUCTURED_COURSES_ENABLED: 'enabled' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'STRUCTURED_COURSES_ENABLED: expected true/false, on/off, 1/0 or a percentage from 0% to 100%, got "enabled"',
    );
    expect(result.stdout).not.toContain('$ helm');
  });

  test('a failed helm step fails the command', async () => {
    // No release yet and no Secrets named: the chart refuses, so does the command.
    const result = await npmRun('deploy:backend', {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('mongodb: set mongodb.existingSecret.name');
    expect(result.stdout).toContain('deploy:backend: FAILED');
  });
});
