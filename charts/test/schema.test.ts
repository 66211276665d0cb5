import path from 'node:path';
import { CHART, NAMESPACE, helm } from './helm';

// Bad values are refused by helm itself (values.schema.json, then the
// chart's validateValues), before anything would reach a cluster.
async function templateWith(sets: string[], base = ['ci/minimal-values.yaml']) {
  return helm([
    'template',
    'testmancer',
    CHART,
    '--namespace',
    NAMESPACE,
    ...base.flatMap((file) => ['--values', path.join(CHART, file)]),
    ...sets,
  ]);
}

describe('values.schema.json rejects bad values with a message naming the value', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['a replica count that is not a number', ['--set', 'gateway.replicas=two'], /at '\/gateway\/replicas': got string, want integer/],
    [
      'a flag that is neither on/off nor a percentage',
      ['--set-string', 'flags.STRUCTURED_COURSES_ENABLED=maybe'],
      /at '\/flags\/STRUCTURED_COURSES_ENABLED'.*\n(.*\n)*.*'maybe' does not match pattern/,
    ],
    ['a percentage over 100', ['--set-string', 'flags.PAGE_QUIZZES_ENABLED=150%'], /'150%' does not match pattern/],
    [
      'an unknown log level',
      ['--set', 'logLevel=verbose'],
      /at '\/logLevel': value must be one of 'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'/,
    ],
    ['a misspelt key', ['--set', 'ingress.hostname=api.example.com'], /at '\/ingress': additional properties 'hostname' not allowed/],
    [
      'an ingress host with a scheme',
      ['--set', 'ingress.host=https://api.example.com'],
      /at '\/ingress\/host': 'https:\/\/api.example.com' does not match pattern/,
    ],
    [
      'an analysis limit put at the wrong level',
      ['--set', 'rollouts.maxErrorRate=0.1'],
      /at '\/rollouts': additional properties 'maxErrorRate' not allowed/,
    ],
    [
      'an analysis error-rate limit that is not a ratio',
      ['--set', 'rollouts.analysis.maxErrorRate=5'],
      /at '\/rollouts\/analysis\/maxErrorRate': maximum: got 5, want 1/,
    ],
    [
      'a pull policy helm would pass on to Kubernetes',
      ['--set', 'image.pullPolicy=Sometimes'],
      /at '\/image\/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'/,
    ],
    ['a sampling ratio over 1', ['--set', 'tracing.samplerRatio=10'], /at '\/tracing\/samplerRatio': maximum: got 10, want 1/],
    [
      'an OTLP protocol the SDK does not speak',
      ['--set', 'tracing.protocol=zipkin'],
      /at '\/tracing\/protocol': value must be one of 'http\/protobuf', 'http\/json', 'grpc'/,
    ],
    ['a database name MongoDB refuses', ['--set', 'mongodb.database=my db'], /at '\/mongodb\/database': 'my db' does not match pattern/],
    [
      'a staging size that is not a quantity of whole units',
      ['--set', 'media.uploads.stagingSizeLimit=lots'],
      /at '\/media\/uploads\/stagingSizeLimit': 'lots' does not match pattern/,
    ],
    ['no upload at all per pod', ['--set', 'media.uploads.perPod=0'], /at '\/media\/uploads\/perPod': minimum: got 0, want 1/],
    [
      'a certificate Secret for a component that does not exist',
      ['--set', 'grpcTls.secretNames.monolith=monolith-tls'],
      /at '\/grpcTls\/secretNames': additional properties 'monolith' not allowed/,
    ],
    [
      'a certificate validity cert-manager cannot read',
      ['--set', 'grpcTls.certManager.duration=90 days'],
      /at '\/grpcTls\/certManager\/duration': '90 days' does not match pattern/,
    ],
    [
      'a keys Secret name Kubernetes refuses',
      ['--set', 'serviceIdentity.secretName=Service_Keys'],
      /at '\/serviceIdentity\/secretName': 'Service_Keys' does not match pattern/,
    ],
    [
      'an unknown alert to switch off',
      ['--set', 'monitoring.prometheusRule.disabled.NoSuchAlert=true'],
      /additional properties 'NoSuchAlert' not allowed/,
    ],
  ];
  test.each(cases)('%s', async (_what, sets, message) => {
    const result = await templateWith(sets);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema(s)");
    expect(result.stderr).toMatch(message);
  });

  test('the same values without the mistake render (the refusals are the mistakes)', async () => {
    const result = await templateWith([
      '--set',
      'gateway.replicas=3',
      '--set-string',
      'flags.STRUCTURED_COURSES_ENABLED=10%',
      '--set',
      'ingress.host=api.example.com',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('validateValues refuses what the schema cannot express', () => {
  test('no database, no token key, no service keys: all named, with what to set', async () => {
    const result = await templateWith([], []);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'mongodb: set mongodb.existingSecret.name (a Secret holding MONGODB_URI) or mongodb.bundled.enabled=true',
    );
    expect(result.stderr).toContain('auth: set auth.existingSecret.name (a Secret holding JWT_SECRET) or auth.jwksUrl');
    expect(result.stderr).toContain('serviceIdentity: set serviceIdentity.secretName');
  });

  test('an enabled frontend without an image tag', async () => {
    const result = await templateWith(['--set', 'frontends.admin.enabled=true']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('frontends.admin: an enabled frontend needs frontends.admin.image.tag');
  });

  test('a frontend signing in through a provider the gateway does not trust', async () => {
    const result = await templateWith(['--set', 'frontends.admin.oidcClientId=testmancer-admin']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('frontends.admin.oidcClientId: signing in through a provider needs auth.jwksUrl and auth.issuer');
  });

  test('Argo Rollouts without a Prometheus to analyse the canary with', async () => {
    const result = await templateWith(['--set', 'rollouts.enabled=true', '--set', 'rollouts.analysis.prometheusAddress=']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('rollouts.analysis.prometheusAddress is needed for the canary analysis');
  });
});
