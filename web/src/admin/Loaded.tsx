import { Loader, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../shared/api/errors';
import { ErrorAlert } from '../shared/Problem';
import type { Resource } from '../shared/useResource';

/** A screen for something that is not there, or not in the caller's categories: the gateway answers both with 404. */
export function NotFound({ what }: { what: string }) {
  return (
    <Stack>
      <Title order={1}>{`${what.charAt(0).toUpperCase()}${what.slice(1)} not found`}</Title>
      <Text>
        There is no such {what}, or it is not in your categories. <Link to="/">Back to the courses</Link>
      </Text>
    </Stack>
  );
}

/** The children once the resource is there; a loader before; a plain not-found screen or the error otherwise. */
export function Loaded<T>({ resource, what, children }: { resource: Resource<T>; what: string; children: (data: T) => ReactNode }) {
  if (resource.data !== undefined) return children(resource.data);
  if (resource.error instanceof ApiError && resource.error.status === 404) return <NotFound what={what} />;
  if (resource.error)
    return (
      <Stack>
        <Title order={1}>Could not open this {what}</Title>
        <ErrorAlert error={resource.error} />
      </Stack>
    );
  return <Loader role="status" aria-label={`Loading the ${what}`} />;
}
