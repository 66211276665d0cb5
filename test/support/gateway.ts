import path from 'node:path';
import { freePort } from '@testmancer/db-proxy';
import { keysOf, ManagedProcess, waitForHttp, type Platform, type ServiceKeyring } from '@testmancer/local-platform';
import { loadServiceKeys, ServiceIdentity, type ServiceName } from '@testmancer/shared';

const ROOT = path.resolve(__dirname, '../..');

export interface ExtraGateway {
  url: string;
  stop(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through the jest "platform" project`);
  return value;
}

/** The keys of the platform's processes (test/platform/global-setup.ts). */
export const platformKeys = (): ServiceKeyring => JSON.parse(required('TEST_SERVICE_KEYS')) as ServiceKeyring;

/** A process's identity on the platform: what a test uses to call a service as that process would. */
export const identityOf = (name: ServiceName): ServiceIdentity =>
  new ServiceIdentity(name, loadServiceKeys(name, keysOf(platformKeys(), name)));

/** The services a gateway fronts, and what it needs to be trusted by them. */
export interface Upstream {
  addresses: Platform['addresses'];
  jwtSecret: string;
  keys: ServiceKeyring;
}

/** The services of the jest platform (test/platform/global-setup.ts). */
export const sharedServices = (): Upstream => ({
  addresses: {
    content: required('TEST_CONTENT_ADDR'),
    quiz: required('TEST_QUIZ_ADDR'),
    gems: required('TEST_GEMS_ADDR'),
    media: required('TEST_MEDIA_ADDR'),
  },
  jwtSecret: required('TEST_JWT_SECRET'),
  keys: platformKeys(),
});

/** The services of a platform a test started itself (test/support/own-platform.ts). */
export const servicesOf = (platform: Platform): Upstream => ({
  addresses: platform.addresses,
  jwtSecret: platform.jwtSecret,
  keys: platform.serviceKeys,
});

/**
 * A second gateway in front of running services (by default the jest platform's), with its own
 * environment (typically flag variables); `name` names its log file under .local/test-logs.
 */
export async function startGateway(
  name: string,
  env: Record<string, string>,
  upstream: Upstream = sharedServices(),
): Promise<ExtraGateway> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const gateway = new ManagedProcess(
    `gateway-${name}`,
    process.execPath,
    [path.join(ROOT, 'services/gateway/dist/main.js')],
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      CONTENT_ADDR: upstream.addresses.content,
      QUIZ_ADDR: upstream.addresses.quiz,
      GEMS_ADDR: upstream.addresses.gems,
      MEDIA_ADDR: upstream.addresses.media,
      JWT_SECRET: upstream.jwtSecret,
      ...keysOf(upstream.keys, 'gateway'),
      RATE_LIMIT_ANONYMOUS_MAX: '1000000',
      ...env,
    },
    path.join(ROOT, '.local/test-logs', `gateway-${name}.log`),
  );
  await gateway.start();
  try {
    await gateway.exitedBefore(waitForHttp(`${url}/ready`));
  } catch (error) {
    await gateway.stop('SIGKILL');
    throw error;
  }
  return { url, stop: async () => void (await gateway.stop()) };
}
