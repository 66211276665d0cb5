import { Alert, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { createContext, lazy, Suspense, useContext, type ReactNode } from 'react';
import { api, call, setToken, type Schemas } from './api/client';
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
  if (oidc) return <ProviderSignIn oidc={oidc} {...props} />;
  return (
    <Suspense fallback={null}>
      <TokenSignIn {...props} />
    </Suspense>
  );
}

// Development only, so its form is fetched only where no provider is configured.
const TokenSignIn = lazy(async () => ({ default: (await import('./TokenSignIn')).TokenSignIn }));

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
