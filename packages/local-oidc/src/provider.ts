import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import Provider, { errors, type Configuration } from 'oidc-provider';
import type { Account, Accounts } from './accounts.js';
import { errorPage, signedOutPage, signInPage, signOutPage } from './pages.js';

export interface LocalClient {
  clientId: string;
  /** Shown on the sign-in form: "Sign in to <name>". */
  clientName: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface LocalProviderOptions {
  issuer: string;
  /** The gateway's audience: access tokens are JWTs for it. */
  audience: string;
  clients: LocalClient[];
  accounts: Accounts;
  accessTokenTtlSeconds: number;
}

/** What only the API needs: the scope that gets a token for the gateway. */
const API_SCOPE = 'api';
const SESSION_SECONDS = 8 * 60 * 60;

/** The platform's claims, as the gateway reads them: `role`, and a subadmin's `scopes.categoryIds`. */
function platformClaims(account: Account): Record<string, unknown> {
  return { role: account.role, ...(account.role === 'subadmin' ? { scopes: { categoryIds: account.categoryIds } } : {}) };
}

/**
 * A certified OpenID provider (oidc-provider) for this machine: authorization
 * code with PKCE for public browser clients, JWT access tokens for the
 * gateway carrying the platform's claims, refresh tokens for silent renewal,
 * RP-initiated sign-out. The interfaces are the project's own first-party
 * clients, so consent is given on the user's behalf once they sign in.
 */
export function createLocalProvider(options: LocalProviderOptions): http.RequestListener {
  const { accounts, audience } = options;
  // Keys live as long as the process: a restart signs everyone out, as a local provider may.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: randomUUID() };

  const configuration: Configuration = {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_name: client.clientName,
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'ES256',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris,
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', API_SCOPE],
    claims: { openid: ['sub'], profile: ['name', 'role'] },
    async findAccount(_ctx, sub) {
      const account = accounts.find(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, name: account.name, role: account.role }) };
    },
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const account = accounts.find(token.accountId);
      return account ? platformClaims(account) : undefined;
    },
    // Renewal uses the refresh token whatever the scopes: without offline_access it still ends with the session.
    async issueRefreshToken(_ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },
    // The interfaces call the discovery and token endpoints from their own origins, which their return addresses name.
    clientBasedCORS: (_ctx, origin, client) => client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        async getResourceServerInfo(_ctx, resource) {
          if (resource !== audience) throw new errors.InvalidTarget();
          return {
            scope: API_SCOPE,
            audience,
            accessTokenTTL: options.accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = signOutPage(form);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = signedOutPage();
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage(String(out.error_description ?? out.error));
    },
    ttl: {
      AccessToken: options.accessTokenTtlSeconds,
      IdToken: SESSION_SECONDS,
      RefreshToken: SESSION_SECONDS,
      Session: SESSION_SECONDS,
      Grant: SESSION_SECONDS,
      Interaction: 10 * 60,
    },
  };
  const provider = new Provider(options.issuer, configuration);
  const clientNames = new Map(options.clients.map((client) => [client.clientId, client.clientName]));

  async function interaction(req: http.IncomingMessage, res: http.ServerResponse, uid: string, submitted: boolean): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new errors.SessionNotFound('this sign-in is not the one in progress');
    const clientName = clientNames.get(String(details.params.client_id)) ?? 'Testmancer';
    const action = `/interaction/${uid}/login`;

    if (details.prompt.name === 'login') {
      if (!submitted) return send(res, 200, signInPage({ action, clientName }));
      const form = new URLSearchParams(await bodyOf(req));
      const username = form.get('username') ?? '';
      const account = accounts.signIn(username, form.get('password') ?? '');
      if (!account) return send(res, 401, signInPage({ action, clientName, username, error: 'Wrong username or password.' }));
      await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
      return;
    }
    // Consent: the first-party interfaces get what they asked for.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
    if (!grant) throw new errors.SessionNotFound('the grant of this sign-in is gone');
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(resource, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  const providerCallback = provider.callback();
  return (req, res) => {
    const url = new URL(req.url ?? '/', options.issuer);
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (!match) return void providerCallback(req, res);
    const submitted = Boolean(match[2]) && req.method === 'POST';
    interaction(req, res, match[1]!, submitted).catch((error: unknown) => {
      const message =
        error instanceof errors.OIDCProviderError
          ? 'This sign-in has expired or was already used. Go back to the interface and sign in again.'
          : 'The sign-in could not be completed.';
      if (!(error instanceof errors.OIDCProviderError)) process.stderr.write(`${String(error)}\n`);
      if (!res.headersSent) send(res, 400, errorPage(message));
    });
  };
}

function send(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

const MAX_FORM_BYTES = 16 * 1024;

function bodyOf(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_FORM_BYTES) req.destroy(new Error('sign-in form too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
