// `npm run -s keys:service -- --name <secret> --namespace <namespace>`:
// prints a Kubernetes Secret with a fresh Ed25519 key pair for every backend
// process (packages/shared/src/grpc/identity.ts), for the chart's
// serviceIdentity.secretName:
//   <component>.key    the private key, PKCS#8 PEM (that pod's SERVICE_KEY)
//   public-keys.json   { component: SPKI PEM } of all (every pod's SERVICE_PUBLIC_KEYS)
// Meant to be piped straight into `kubectl create -f -`: the keys exist
// nowhere else. Plain Node ESM over the built @testmancer/shared (run
// `npm run build` first), so that the keys are made by the very function the
// local platform uses and of the type the services load.
import { parseArgs } from 'node:util';
import shared from '@testmancer/shared';

const { SERVICE_NAMES, newServiceKeyPair } = shared;

const USAGE = `usage: npm run -s keys:service -- [--name <secret>] [--namespace <namespace>] | kubectl create -f -
  --name       the Secret's name (default testmancer-service-keys): the chart's serviceIdentity.secretName
  --namespace  the release's namespace (default testmancer)`;

// What Kubernetes accepts: a DNS subdomain for the name, a DNS label for the namespace.
const SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function fail(message) {
  process.stderr.write(`keys:service: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      name: { type: 'string', default: 'testmancer-service-keys' },
      namespace: { type: 'string', default: 'testmancer' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }));
} catch (error) {
  fail(error.message);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!SUBDOMAIN.test(options.name))
  fail(`--name must be a Kubernetes object name (lower-case DNS subdomain), got ${JSON.stringify(options.name)}`);
if (!LABEL.test(options.namespace))
  fail(`--namespace must be a Kubernetes namespace (DNS label), got ${JSON.stringify(options.namespace)}`);

const pairs = Object.fromEntries(SERVICE_NAMES.map((service) => [service, newServiceKeyPair()]));
const publicKeys = Object.fromEntries(Object.entries(pairs).map(([service, pair]) => [service, pair.publicKey]));

// A PEM or JSON text as a YAML literal block: its lines hold no character YAML would read otherwise.
const block = (text) =>
  `|\n${text
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')}`;

const manifest = [
  `# The services' identity keys (npm run keys:service), made ${new Date().toISOString()}.`,
  '# Private keys: pipe into `kubectl create -f -`, never into a file or a repository.',
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  `  name: ${options.name}`,
  `  namespace: ${options.namespace}`,
  '  labels:',
  '    app.kubernetes.io/part-of: testmancer',
  'type: Opaque',
  'stringData:',
  ...SERVICE_NAMES.map((service) => `  ${service}.key: ${block(pairs[service].privateKey)}`),
  `  public-keys.json: ${block(JSON.stringify(publicKeys))}`,
  '',
].join('\n');

if (process.stdout.isTTY) process.stderr.write('keys:service: private keys follow; pipe them into `kubectl create -f -` instead.\n');
process.stdout.write(manifest);
