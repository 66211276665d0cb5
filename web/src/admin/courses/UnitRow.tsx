import { Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, call, ifMatch, type Schemas } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { ErrorAlert } from '../../shared/Problem';
import { useTerms } from '../../shared/terms';

type Mode = 'view' | 'rename' | 'delete';

/** One unit of the course: a link to it, renaming in place, deleting after a confirmation. */
export function UnitRow({
  courseId,
  unit,
  position,
  readOnly,
  onChanged,
}: {
  courseId: string;
  unit: Schemas['Unit'];
  position: number;
  readOnly: boolean;
  onChanged: () => void;
}) {
  const { unit: term, Unit } = useTerms();
  const [mode, setMode] = useState<Mode>('view');
  const [title, setTitle] = useState(unit.title);
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  const path = { courseId, unitId: unit.id };

  const finish = (request: Promise<unknown>) => {
    setPending(true);
    setError(undefined);
    request.then(
      () => {
        setPending(false);
        setMode('view');
        onChanged();
      },
      (failure: unknown) => {
        setPending(false);
        setError(failure);
      },
    );
  };
  const rename = (event: FormEvent) => {
    event.preventDefault();
    finish(
      call(api.PATCH('/api/courses/{courseId}/units/{unitId}', { params: { path }, headers: ifMatch(unit.version), body: { title } })),
    );
  };
  const remove = () =>
    finish(call(api.DELETE('/api/courses/{courseId}/units/{unitId}', { params: { path }, headers: ifMatch(unit.version) })));

  return (
    <Stack gap="xs">
      {mode === 'rename' ? (
        <form onSubmit={rename}>
          <Group align="flex-end" wrap="wrap" gap="xs">
            <TextInput
              label={`New title of ${term} ${String(position)}`}
              required
              value={title}
              error={error instanceof ApiError ? error.fieldErrors().title : undefined}
              onChange={(event) => setTitle(event.currentTarget.value)}
              style={{ flex: 1, minWidth: 180 }}
            />
            <Button type="submit" loading={pending}>
              Save title
            </Button>
            <Button variant="default" onClick={() => setMode('view')}>
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
              {Unit} {position} · {unit.pageCount} {unit.pageCount === 1 ? 'page' : 'pages'}
            </Text>
          </div>
          {!readOnly && mode === 'view' && (
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => setMode('rename')} aria-label={`Rename ${unit.title}`}>
                Rename
              </Button>
              <Button size="xs" variant="outline" color="red.9" onClick={() => setMode('delete')} aria-label={`Delete ${unit.title}`}>
                Delete
              </Button>
            </Group>
          )}
        </Group>
      )}
      {mode === 'delete' && (
        <Group gap="xs" wrap="wrap" role="group" aria-label={`Confirm deleting ${unit.title}`}>
          <Text size="sm">
            Delete this {term} and its {unit.pageCount} {unit.pageCount === 1 ? 'page' : 'pages'}?
          </Text>
          <Button size="xs" color="red.9" onClick={remove} loading={pending}>
            Yes, delete
          </Button>
          <Button size="xs" variant="default" onClick={() => setMode('view')}>
            Keep it
          </Button>
        </Group>
      )}
      {error !== undefined && mode !== 'rename' && <ErrorAlert error={error} />}
      {error !== undefined && mode === 'rename' && !(error instanceof ApiError && error.fieldErrors().title) && (
        <ErrorAlert error={error} />
      )}
    </Stack>
  );
}
