import { Button, Group, Text } from '@mantine/core';
import type { User, UserManager } from 'oidc-client-ts';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { setToken, setTokenSource } from './api/client';
import { messageOf } from './api/errors';
import type { AppConfig } from './config';
import { open, SessionProvider, SignInCard, type Session, type SignInProps } from './session';

/** Where the provider sends people back, under the interface's base path. */
const SIGNED_IN_PATH = '/signed-in';
const SIGNED_OUT_PATH = '/signed-out';
/** A token this close to its expiry is renewed before a call rather than sent to be refused. */
const RENEW_WITHIN_SECONDS = 5;

type State =
  | { kind: 'starting' }
  | { kind: 'signed-out'; error?: string; notice?: string }
  | { kind: 'refused'; error: string }
  | { kind: 'signed-in'; session: Session };

/** The screen the provider sent someone from, kept in the sign-in request's state. */
interface ReturnTo {
  returnTo: string;
}

// One of each per page: the provider's client, and the start of the session (a sign-in's code can be exchanged only once).
let manager: Promise<UserManager> | undefined;
let started: Promise<void> | undefined;
const managerFor = (oidc: NonNullable<AppConfig['oidc']>) => (manager ??= createManager(oidc));

async function createManager(oidc: NonNullable<AppConfig['oidc']>): Promise<UserManager> {
  // Loaded only where a provider is configured, and apart from the first screen's code.
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: oidc.issuer,
    client_id: oidc.clientId,
    redirect_uri: new URL(SIGNED_IN_PATH.slice(1), document.baseURI).href,
    post_logout_redirect_uri: new URL(SIGNED_OUT_PATH.slice(1), document.baseURI).href,
    // `api` is the gateway's scope: the access token is a JWT for it, with the role and scopes.
    scope: 'openid profile api',
    // Renewal happens when a call needs a fresh token (tokenFor), so an idle tab makes no requests.
    automaticSilentRenew: false,
    // This tab only, as with a pasted token.
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/**
 * Signing in through the organisation's OpenID provider: authorization code
 * with PKCE (oidc-client-ts), the access token for the gateway renewed with
 * the refresh token when a call needs it, sign-out at the provider. The token's
 * role decides whether this interface opens; the gateway checks it again on
 * every call.
 */
export function ProviderSignIn({ oidc, roles, title, children }: SignInProps & { oidc: NonNullable<AppConfig['oidc']> }) {
  const [state, setState] = useState<State>({ kind: 'starting' });
  const location = useLocation();
  const navigate = useNavigate();

  useEffect(() => {
    const ended = (notice: string) => {
      setToken(undefined);
      setState({ kind: 'signed-out', notice });
    };
    const start = async () => {
      const users = await managerFor(oidc);
      let user: User | null;
      if (location.pathname === SIGNED_IN_PATH) {
        user = await users.signinRedirectCallback();
        const returnTo = (user.state as ReturnTo | undefined)?.returnTo ?? '/';
        await navigate(returnTo.startsWith('/') && !returnTo.startsWith(SIGNED_IN_PATH) ? returnTo : '/', { replace: true });
      } else if (location.pathname === SIGNED_OUT_PATH) {
        await navigate('/', { replace: true });
        return setState({ kind: 'signed-out', notice: 'You have signed out.' });
      } else {
        user = await users.getUser();
      }
      if (!user) return setState({ kind: 'signed-out' });
      if (user.expired) {
        user = await users.signinSilent().catch(() => null);
        if (!user) return ended('Your session has ended. Sign in again.');
      }
      let session: Session;
      try {
        session = await open(user.access_token, roles);
      } catch (failure) {
        return setState({ kind: 'refused', error: messageOf(failure) });
      }
      let renewing: Promise<User | null> | undefined;
      setTokenSource(async () => {
        const current = await users.getUser();
        if (current && (current.expires_in ?? 0) > RENEW_WITHIN_SECONDS) return current.access_token;
        renewing ??= users.signinSilent().finally(() => (renewing = undefined));
        const renewed = await renewing.catch(() => null);
        if (!renewed) ended('Your session has ended. Sign in again.');
        return renewed?.access_token;
      });
      setState({ kind: 'signed-in', session });
    };
    started ??= start().catch((failure: unknown) => setState({ kind: 'signed-out', error: messageOf(failure) }));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once per page load, on the address it was opened at
  }, []);

  const signIn = () => {
    const returnTo: ReturnTo = { returnTo: `${location.pathname}${location.search}` };
    managerFor(oidc)
      .then((users) => users.signinRedirect({ state: returnTo }))
      .catch((failure: unknown) => setState({ kind: 'signed-out', error: messageOf(failure) }));
  };
  const signOut = useCallback(() => {
    setTokenSource(() => undefined);
    // oidc-client-ts forgets the tab's user, then the provider ends its session and sends the browser to SIGNED_OUT_PATH.
    managerFor(oidc)
      .then((users) => users.signoutRedirect())
      .catch((failure: unknown) => setState({ kind: 'signed-out', error: messageOf(failure) }));
  }, [oidc]);

  const session = state.kind === 'signed-in' ? state.session : undefined;
  const context = useMemo(() => session && { session, signOut }, [session, signOut]);
  if (context) return <SessionProvider value={context}>{children}</SessionProvider>;
  if (state.kind === 'starting') return null;
  if (state.kind === 'refused')
    return (
      <SignInCard title={title} error={state.error}>
        <Group>
          <Button onClick={signOut}>Sign out</Button>
        </Group>
      </SignInCard>
    );
  const { error, notice } = state.kind === 'signed-out' ? state : {};
  return (
    <SignInCard title={title} error={error} notice={notice}>
      <Text>Sign in with your school account.</Text>
      <Button onClick={signIn}>Sign in</Button>
    </SignInCard>
  );
}
