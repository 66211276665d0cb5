import { Alert } from '@mantine/core';
import { messageOf } from './api/errors';

/** An error of the API (or any failure) in plain words, announced to screen readers. */
export function ErrorAlert({ error, title = 'That did not work' }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <Alert color="red" title={title} role="alert" style={{ whiteSpace: 'pre-line' }}>
      {messageOf(error)}
    </Alert>
  );
}
