import path from 'node:path';
import { ManagedProcess, waitForHttp } from './managed-process';
import { WEB_APPS, type WebApp } from './web';

/** The gateway's audience in the local provider's access tokens (a resource indicator: an absolute URI). */
export const LOCAL_AUDIENCE = 'urn:testmancer:api';

/** Someone who can sign in at the local provider (packages/local-oidc validates the same shape). */
export interface LocalAccount {
  username: string;
  password: string;
  /** The platform's user id (`sub`), a 24-character hexadecimal id. */
  sub: string;
  name: string;
  role: 'admin' | 'subadmin' | 'student';
  categoryIds?: string[];
}

export interface IdentityOptions {
  port: number;
  /** The host in the issuer's URL, as browsers reach it ('127.0.0.1' unless given: `make dev` prints localhost). */
  issuerHost?: string;
  /** Short in tests, so that a session outlives its first access token. */
  accessTokenTtlSeconds?: number;
}

/** Each interface's client at the provider. */
export const clientIdOf = (app: WebApp) => `testmancer-${app}`;
const CLIENT_NAMES: Record<WebApp, string> = { admin: 'Testmancer authoring', student: 'Testmancer' };

/** Where the provider may send people back to an interface served at `url`, by either loopback name. */
function returnUrls(url: string, screen: string): string[] {
  const address = new URL(screen, url);
  const other = new URL(address);
  other.hostname = address.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return [address.href, other.href];
}

export interface IdentityProviderSpec extends IdentityOptions {
  rootDir: string;
  logDir: string;
  issuer: string;
  accounts: readonly LocalAccount[];
  webUrls: Record<WebApp, string>;
}

/** packages/local-oidc as a process, for the platform's web interfaces; resolves once it serves its discovery document. */
export async function startIdentityProvider(spec: IdentityProviderSpec): Promise<ManagedProcess> {
  const clients = (Object.keys(WEB_APPS) as WebApp[]).map((app) => ({
    clientId: clientIdOf(app),
    clientName: CLIENT_NAMES[app],
    redirectUris: returnUrls(spec.webUrls[app], 'signed-in'),
    postLogoutRedirectUris: returnUrls(spec.webUrls[app], 'signed-out'),
  }));
  const provider = new ManagedProcess(
    'identity',
    process.execPath,
    [path.join(spec.rootDir, 'packages', 'local-oidc', 'dist', 'main.js')],
    {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(spec.port),
      OIDC_ISSUER: spec.issuer,
      OIDC_AUDIENCE: LOCAL_AUDIENCE,
      OIDC_ACCESS_TOKEN_TTL_SECONDS: String(spec.accessTokenTtlSeconds ?? 600),
      OIDC_ACCOUNTS: JSON.stringify(spec.accounts),
      OIDC_CLIENTS: JSON.stringify(clients),
    },
    path.join(spec.logDir, 'identity.log'),
  );
  await provider.start();
  try {
    await provider.exitedBefore(waitForHttp(`http://127.0.0.1:${spec.port}/.well-known/openid-configuration`));
  } catch (error) {
    await provider.stop('SIGKILL');
    throw error;
  }
  return provider;
}
