import { Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, call, ifMatch, type Schemas } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { ErrorAlert } from '../../shared/Problem';
import { useTerms } from '../../shared/terms';
import { ConfirmArchive } from '../ConfirmArchive';

type Mode = 'view' | 'rename' | 'archive';
type Unit = Schemas['Unit'];

const pagesIn = (count: number) => `${String(count)} ${count === 1 ? 'page' : 'pages'}`;

/** One unit of the course: a link to it, renaming in place, archiving after a confirmation. */
export function UnitRow({
  courseId,
  unit,
  position,
  readOnly,
  onRenamed,
  onArchived,
}: {
  courseId: string;
  unit: Unit;
  position: number;
  readOnly: boolean;
  /** The unit as renamed, and the title it had (to offer an undo). */
  onRenamed: (renamed: Unit, previousTitle: string) => void;
  onArchived: () => void;
}) {
  const { unit: term, units, Unit } = useTerms();
  const [mode, setMode] = useState<Mode>('view');
  const [title, setTitle] = useState(unit.title);
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  const path = { courseId, unitId: unit.id };

  const switchTo = (next: Mode) => {
    setError(undefined);
    // The title as it is now: an undo elsewhere may have changed it since the last rename.
    if (next === 'rename') setTitle(unit.title);
    setMode(next);
  };
  const rename = (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    const previousTitle = unit.title;
    call(api.PATCH('/api/courses/{courseId}/units/{unitId}', { params: { path }, headers: ifMatch(unit.version), body: { title } })).then(
      (renamed) => {
        setPending(false);
        setMode('view');
        onRenamed(renamed, previousTitle);
      },
      (failure: unknown) => {
        setPending(false);
        setError(failure);
      },
    );
  };
  const archive = () => {
    setPending(true);
    setError(undefined);
    call(api.DELETE('/api/courses/{courseId}/units/{unitId}', { params: { path }, headers: ifMatch(unit.version) })).then(
      () => {
        setPending(false);
        setMode('view');
        onArchived();
      },
      (failure: unknown) => {
        setPending(false);
        setError(failure);
      },
    );
  };
  const titleError = error instanceof ApiError ? error.fieldErrors().title : undefined;

  return (
    <Stack gap="xs">
      {mode === 'rename' ? (
        <form onSubmit={rename}>
          <Group align="flex-end" wrap="wrap" gap="xs">
            <TextInput
              label={`New title of ${term} ${String(position)}`}
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
            <Anchor component={Link} to={`/courses/${courseId}/units/${unit.id}`} fw={600}>
              {unit.title}
            </Anchor>
            <Text size="sm">
              {Unit} {position} · {pagesIn(unit.pageCount)}
            </Text>
          </div>
          {!readOnly && (
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => switchTo('rename')} aria-label={`Rename ${unit.title}`}>
                Rename
              </Button>
              <Button size="xs" variant="outline" color="red.9" onClick={() => switchTo('archive')} aria-label={`Archive ${unit.title}`}>
                Archive
              </Button>
            </Group>
          )}
        </Group>
      )}
      <ConfirmArchive
        opened={mode === 'archive'}
        what={term}
        name={unit.title}
        consequence={`It leaves the course with its ${pagesIn(unit.pageCount)}: students no longer see them, and the ${units} after it move up one place.`}
        pending={pending}
        error={error}
        onConfirm={archive}
        onClose={() => switchTo('view')}
      />
      {mode === 'rename' && error !== undefined && !titleError && <ErrorAlert error={error} title="Could not rename" />}
    </Stack>
  );
}
