import { Anchor, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../shared/api/errors';
import { ErrorAlert } from '../../shared/Problem';
import type { Loaded } from '../../shared/useResource';
import { ScreenTitle } from './ScreenTitle';

/** Said while a screen loads; a status, so screen readers hear it without losing their place. */
export function Loading({ what }: { what: string }) {
  return (
    <Stack role="status" align="center" py="xl" gap="xs">
      <Loader aria-hidden />
      <Text>Loading {what}…</Text>
    </Stack>
  );
}

/** A screen whose thing does not exist (or is not visible): one heading, plain words, a way back. */
export function NotFound({ what }: { what: string }) {
  return (
    <Stack>
      <ScreenTitle>Not found</ScreenTitle>
      <Text>This {what} does not exist, or it is not available to you. It may have been removed or not published yet.</Text>
      <Anchor component={Link} to="/">
        Go to the course catalogue
      </Anchor>
    </Stack>
  );
}

/** A screen that could not load: the API's error in plain words. */
export function LoadFailed({ error, what }: { error: unknown; what: string }) {
  if (error instanceof ApiError && error.status === 404) return <NotFound what={what} />;
  return (
    <Stack>
      <ScreenTitle>Could not load this {what}</ScreenTitle>
      <ErrorAlert error={error} />
    </Stack>
  );
}

/** Renders `children` with the data once loaded, and the loading or failure screen before. */
export function WhenLoaded<T>({ loaded, what, children }: { loaded: Loaded<T>; what: string; children: (data: T) => ReactNode }) {
  if (loaded.state === 'loading') return <Loading what={what} />;
  if (loaded.state === 'failed') return <LoadFailed error={loaded.error} what={what} />;
  return children(loaded.data);
}
