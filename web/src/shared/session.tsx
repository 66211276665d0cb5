import { Alert, Button, Container, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, call, setToken, type Schemas } from './api/client';
import { messageOf } from './api/errors';
import { readConfig } from './config';
import { ProviderSignIn } from './ProviderSignIn';

export type Role = 'admin' | 'subadmin' | 'student';

export interface Session {
  token: string;
  userId: string;
  role: Role;
  /** A subadmin's categories. */
  categoryIds: string[];
  /** The feature flags as the gateway evaluates them for this user. */
  flags: Schemas['Flags'];
}

interface SessionContext {
  session: Session;
  signOut: () => void;
}

const Context = createContext<SessionContext | undefined>(undefined);
const STORAGE_KEY = 'testmancer.token';

/** The signed-in user; only inside <SignedIn>. */
export function useSession(): SessionContext {
  const context = useContext(Context);
  if (!context) throw new Error('useSession outside <SignedIn>');
  return context;
}

export const SessionProvider = Context.Provider;

/**
 * Reads the token's claims for display and routing only: the gateway verifies
 * the token on every call and decides every permission.
 */
function claimsOf(token: string): Pick<Session, 'userId' | 'role' | 'categoryIds'> | undefined {
  try {
    const payload = token.split('.')[1];
    if (!payload) return undefined;
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
      sub?: unknown;
      role?: unknown;
      scopes?: { categoryIds?: unknown };
    };
    if (typeof json.sub !== 'string' || (json.role !== 'admin' && json.role !== 'subadmin' && json.role !== 'student')) return undefined;
    const categoryIds = Array.isArray(json.scopes?.categoryIds) ? json.scopes.categoryIds.filter((id) => typeof id === 'string') : [];
    return { userId: json.sub, role: json.role, categoryIds };
  } catch {
    return undefined;
  }
}

/** A session for this token once the gateway accepts it, or an error in plain words. */
export async function open(token: string, roles: readonly Role[]): Promise<Session> {
  const claims = claimsOf(token);
  if (!claims) throw new Error('This is not a sign-in token. Paste the whole token you were given.');
  if (!roles.includes(claims.role))
    throw new Error(`You are signed in as a ${claims.role}; this interface is for ${roles.map((role) => `${role}s`).join(' and ')}.`);
  setToken(token);
  try {
    // Any call checks the token; the flags are needed first anyway.
    const flags = await call(api.GET('/api/flags'));
    return { token, ...claims, flags };
  } catch (error) {
    setToken(undefined);
    throw error;
  }
}

export interface SignInProps {
  roles: readonly Role[];
  /** The interface's name, the sign-in screen's heading. */
  title: string;
  children: ReactNode;
}

/**
 * Renders its children once someone with one of `roles` is signed in, and a
 * sign-in screen before: through the organisation's OpenID provider where one
 * is configured, else by pasting a token (development only).
 */
export function SignedIn(props: SignInProps) {
  const { oidc } = readConfig();
  return oidc ? <ProviderSignIn oidc={oidc} {...props} /> : <TokenSignIn {...props} />;
}

/** The developer's fallback: a token pasted in, kept for this browser tab only. */
function TokenSignIn({ roles, title, children }: SignInProps) {
  const [session, setSession] = useState<Session>();
  const [restoring, setRestoring] = useState(() => sessionStorage.getItem(STORAGE_KEY) !== null);
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const [draft, setDraft] = useState('');

  // Settles a sign-in; every state change happens after the gateway answers.
  const settle = useCallback(
    (token: string) =>
      open(token.trim(), roles).then(
        (opened) => {
          sessionStorage.setItem(STORAGE_KEY, opened.token);
          setSession(opened);
        },
        (failure: unknown) => {
          sessionStorage.removeItem(STORAGE_KEY);
          setError(messageOf(failure));
        },
      ),
    [roles],
  );
  const signIn = (token: string) => {
    setPending(true);
    setError(undefined);
    void settle(token).finally(() => setPending(false));
  };

  // A reload keeps the tab's session.
  useEffect(() => {
    const saved = sessionStorage.getItem(STORAGE_KEY);
    if (saved) void settle(saved).finally(() => setRestoring(false));
  }, [settle]);

  const context = useMemo(
    () =>
      session && {
        session,
        signOut: () => {
          sessionStorage.removeItem(STORAGE_KEY);
          setToken(undefined);
          setSession(undefined);
          setDraft('');
        },
      },
    [session],
  );

  if (context) return <Context.Provider value={context}>{children}</Context.Provider>;
  if (restoring) return null;
  return (
    <SignInCard title={title} error={error}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          signIn(draft);
        }}
      >
        <Stack>
          <Text>Sign in with the token you were given.</Text>
          <PasswordInput
            label="Sign-in token"
            required
            autoComplete="off"
            value={draft}
            onChange={(event) => setDraft(event.currentTarget.value)}
          />
          <Button type="submit" loading={pending}>
            Sign in
          </Button>
        </Stack>
      </form>
    </SignInCard>
  );
}

/** The frame of a sign-in screen: the interface's name, what went wrong if anything, and the way in. */
export function SignInCard({
  title,
  error,
  notice,
  children,
}: {
  title: string;
  error?: string | undefined;
  notice?: string | undefined;
  children: ReactNode;
}) {
  return (
    <Container size={460} py="xl">
      <Paper withBorder p="lg" radius="md" component="main">
        <Stack>
          <Title order={1} size="h2">
            {title}
          </Title>
          {notice && <Text role="status">{notice}</Text>}
          {error && (
            <Alert color="red" title="Could not sign in" role="alert" style={{ whiteSpace: 'pre-line' }}>
              {error}
            </Alert>
          )}
          {children}
        </Stack>
      </Paper>
    </Container>
  );
}
