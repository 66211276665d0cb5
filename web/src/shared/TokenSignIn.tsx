import { Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { setToken } from './api/client';
import { messageOf } from './api/errors';
import { open, SessionProvider, SignInCard, type Session, type SignInProps } from './session';

const STORAGE_KEY = 'testmancer.token';

/** The developer's fallback: a token pasted in, kept for this browser tab only. */
export function TokenSignIn({ roles, title, children }: SignInProps) {
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

  if (context) return <SessionProvider value={context}>{children}</SessionProvider>;
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
