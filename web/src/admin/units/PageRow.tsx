import { Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, call, ifMatch, type Schemas } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { ErrorAlert } from '../../shared/Problem';
import { ConfirmArchive } from '../ConfirmArchive';

type Mode = 'view' | 'rename' | 'archive';

/** What archiving a page does, for its confirmation (here and in the page editor). */
export const PAGE_ARCHIVE_CONSEQUENCE = 'Students no longer see it, and the pages after it move up one place.';

export interface PageAddress {
  courseId: string;
  unitId: string;
}

/**
 * The page now at `summary`'s place, with its version for If-Match. Pages are
 * addressed by their place in the unit: a page moved by someone else since the
 * list was loaded is refused rather than another page changed.
 */
export async function currentPage(at: PageAddress, summary: Schemas['PageSummary']): Promise<Schemas['Page']> {
  const page = await call(
    api.GET('/api/courses/{courseId}/units/{unitId}/pages/{pageOrder}', { params: { path: { ...at, pageOrder: summary.pageOrder } } }),
  );
  if (page.id !== summary.id) throw new Error('The pages of this unit changed in the meantime. Reload the screen and try again.');
  return page;
}

/** One page of the unit: a link to its editor, renaming in place, archiving after a confirmation. */
export function PageRow({
  at,
  page,
  position,
  editorPath,
  readOnly,
  onRenamed,
  onArchived,
}: {
  at: PageAddress;
  page: Schemas['PageSummary'];
  /** Where the list shows it (before the server confirms a new order, not yet its stored place). */
  position: number;
  editorPath: string;
  readOnly: boolean;
  /** The page as renamed, and the title it had (to offer an undo). */
  onRenamed: (renamed: Schemas['Page'], previousTitle: string) => void;
  onArchived: () => void;
}) {
  const [mode, setMode] = useState<Mode>('view');
  const [title, setTitle] = useState(page.title);
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  const path = { ...at, pageOrder: page.pageOrder };

  const switchTo = (next: Mode) => {
    setError(undefined);
    if (next === 'rename') setTitle(page.title);
    setMode(next);
  };
  const finish = <T,>(request: Promise<T>, then: (answer: T) => void) => {
    setPending(true);
    setError(undefined);
    request.then(
      (answer) => {
        setPending(false);
        setMode('view');
        then(answer);
      },
      (failure: unknown) => {
        setPending(false);
        setError(failure);
      },
    );
  };
  const rename = (event: FormEvent) => {
    event.preventDefault();
    const previousTitle = page.title;
    finish(
      currentPage(at, page).then((current) =>
        call(
          api.PATCH('/api/courses/{courseId}/units/{unitId}/pages/{pageOrder}', {
            params: { path },
            headers: ifMatch(current.version),
            body: { title },
          }),
        ),
      ),
      (renamed) => onRenamed(renamed, previousTitle),
    );
  };
  const archive = () =>
    finish(
      currentPage(at, page).then((current) =>
        call(
          api.DELETE('/api/courses/{courseId}/units/{unitId}/pages/{pageOrder}', {
            params: { path },
            headers: ifMatch(current.version),
          }),
        ),
      ),
      onArchived,
    );
  const titleError = error instanceof ApiError ? error.fieldErrors().title : undefined;

  return (
    <Stack gap="xs">
      {mode === 'rename' ? (
        <form onSubmit={rename}>
          <Group align="flex-end" wrap="wrap" gap="xs">
            <TextInput
              label={`New title of page ${String(position)}`}
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
            <Anchor component={Link} to={editorPath} fw={600}>
              {page.title}
            </Anchor>
            <Text size="sm">Page {position}</Text>
          </div>
          {!readOnly && (
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => switchTo('rename')} aria-label={`Rename ${page.title}`}>
                Rename
              </Button>
              <Button size="xs" variant="outline" color="red.9" onClick={() => switchTo('archive')} aria-label={`Archive ${page.title}`}>
                Archive
              </Button>
            </Group>
          )}
        </Group>
      )}
      <ConfirmArchive
        opened={mode === 'archive'}
        what="page"
        name={page.title}
        consequence={PAGE_ARCHIVE_CONSEQUENCE}
        pending={pending}
        error={error}
        onConfirm={archive}
        onClose={() => switchTo('view')}
      />
      {mode === 'rename' && error !== undefined && !titleError && <ErrorAlert error={error} title="Could not rename" />}
    </Stack>
  );
}
