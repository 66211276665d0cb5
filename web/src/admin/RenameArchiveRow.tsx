import { Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../shared/api/errors';
import { ErrorAlert } from '../shared/Problem';
import { ConfirmArchive } from './ConfirmArchive';

type Mode = 'view' | 'rename' | 'archive';

/**
 * One row of an ordered list an author edits in place (a course's units, a
 * unit's pages): a link, renaming in a form, archiving after a confirmation.
 * The row owns the form and the dialog; its owner says how to rename and to
 * archive, and what follows.
 */
export function RenameArchiveRow({
  title: current,
  to,
  details,
  what,
  renameLabel,
  consequence,
  readOnly,
  rename,
  archive,
}: {
  title: string;
  to: string;
  details: ReactNode;
  /** What the row is, for the archive dialog ("unit", "page"). */
  what: string;
  renameLabel: string;
  consequence: string;
  readOnly: boolean;
  rename: (title: string) => Promise<void>;
  archive: () => Promise<void>;
}) {
  const [mode, setMode] = useState<Mode>('view');
  const [title, setTitle] = useState(current);
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);

  const switchTo = (next: Mode) => {
    setError(undefined);
    // The title as it is now: an undo elsewhere may have changed it since the last rename.
    if (next === 'rename') setTitle(current);
    setMode(next);
  };
  const finish = (request: Promise<void>) => {
    setPending(true);
    setError(undefined);
    request.then(
      () => {
        setPending(false);
        setMode('view');
      },
      (failure: unknown) => {
        setPending(false);
        setError(failure);
      },
    );
  };
  const submitRename = (event: FormEvent) => {
    event.preventDefault();
    finish(rename(title));
  };
  const titleError = error instanceof ApiError ? error.fieldErrors().title : undefined;

  return (
    <Stack gap="xs">
      {mode === 'rename' ? (
        <form onSubmit={submitRename}>
          <Group align="flex-end" wrap="wrap" gap="xs">
            <TextInput
              label={renameLabel}
              required
              value={title}
              error={titleError}
              onChange={(event) => setTitle(event.currentTarget.value)}
              style={{ flex: 1, minWidth: 180 }}
            />
            <Button type="submit" loading={pending}>
              Save title
            </Button>
            <Button variant="default" onClick={() => switchTo('view')}>
              Cancel
            </Button>
          </Group>
        </form>
      ) : (
        <Group justify="space-between" wrap="wrap" gap="xs">
          <div style={{ minWidth: 0 }}>
            <Anchor component={Link} to={to} fw={600}>
              {current}
            </Anchor>
            <Text size="sm">{details}</Text>
          </div>
          {!readOnly && (
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => switchTo('rename')} aria-label={`Rename ${current}`}>
                Rename
              </Button>
              <Button size="xs" variant="outline" color="red.9" onClick={() => switchTo('archive')} aria-label={`Archive ${current}`}>
                Archive
              </Button>
            </Group>
          )}
        </Group>
      )}
      <ConfirmArchive
        opened={mode === 'archive'}
        what={what}
        name={current}
        consequence={consequence}
        pending={pending}
        error={error}
        onConfirm={() => finish(archive())}
        onClose={() => switchTo('view')}
      />
      {mode === 'rename' && error !== undefined && !titleError && <ErrorAlert error={error} title="Could not rename" />}
    </Stack>
  );
}
