import { Button, Group, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useState, type FormEvent } from 'react';
import { api, call, ifMatch, type Schemas } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { ErrorAlert } from '../../shared/Problem';
import { useTerms } from '../../shared/terms';
import { SortableList } from '../SortableList';
import { useResource } from '../../shared/useResource';
import { newOrder, UndoableStatus, type UndoableChange } from '../UndoableStatus';
import { UnitRow } from './UnitRow';

function AddUnitForm({ courseId, onAdded }: { courseId: string; onAdded: () => void }) {
  const { unit } = useTerms();
  const [title, setTitle] = useState('');
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    call(api.POST('/api/courses/{courseId}/units', { params: { path: { courseId } }, body: { title } }))
      .then(() => {
        setTitle('');
        onAdded();
      }, setError)
      .finally(() => setPending(false));
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={`Title of the new ${unit}`}
            required
            value={title}
            error={error instanceof ApiError ? error.fieldErrors().title : undefined}
            onChange={(event) => setTitle(event.currentTarget.value)}
            style={{ flex: 1, minWidth: 200 }}
          />
          <Button type="submit" loading={pending}>
            Add {unit}
          </Button>
        </Group>
        <ErrorAlert error={error} title={`Could not add the ${unit}`} />
      </Stack>
    </form>
  );
}

/**
 * The course's units in order, reordered by dragging (mouse, touch or keyboard).
 * The new order goes to the gateway in one call with the course's version, then
 * the course is loaded again: the server's order is the one shown. A rename or a
 * new order can be undone (the API takes the old title or order back); an
 * archived unit cannot.
 */
export function UnitsSection({ course, onChanged }: { course: Schemas['Course']; onChanged: () => void }) {
  const { Units } = useTerms();
  const load = useCallback(
    () =>
      // The course's version is a dependency: every change of the units moves it, and the list follows.
      call(api.GET('/api/courses/{courseId}/units', { params: { path: { courseId: course.id }, query: { limit: 100 } } })).then((page) => ({
        version: course.version,
        items: page.items,
      })),
    [course.id, course.version],
  );
  const units = useResource(load);
  const [reorderError, setReorderError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  // The last change that can be undone, numbered: each new one replaces the offer to undo the one before.
  const [lastChange, setLastChange] = useState<{ number: number; change: UndoableChange }>();
  const readOnly = course.status === 'archived';
  const offerUndo = (change: UndoableChange) => setLastChange((last) => ({ number: (last?.number ?? 0) + 1, change }));

  const putOrder = (unitIds: string[], courseVersion: number) =>
    call(
      api.PUT('/api/courses/{courseId}/units/order', {
        params: { path: { courseId: course.id } },
        headers: ifMatch(courseVersion),
        body: { unitIds },
      }),
    );

  const reorder = (unitIds: string[]) => {
    if (!units.data) return;
    const previousIds = units.data.items.map((unit) => unit.id);
    const byId = new Map(units.data.items.map((unit) => [unit.id, unit]));
    // Shown in the new order at once; the reload after the call shows the server's.
    units.replace({ ...units.data, items: unitIds.flatMap((id) => byId.get(id) ?? []) });
    setSaving(true);
    setLastChange(undefined);
    setReorderError(undefined);
    putOrder(unitIds, course.version)
      .then((saved) => offerUndo(newOrder(() => putOrder(previousIds, saved.version))))
      .catch((failure: unknown) => {
        setReorderError(failure);
        units.reload();
      })
      .finally(() => {
        setSaving(false);
        onChanged();
      });
  };

  const renamed = (unit: Schemas['Unit'], previousTitle: string) => {
    // Shown under its new title at once; the reload brings the rest of the course's changes.
    if (units.data) units.replace({ ...units.data, items: units.data.items.map((item) => (item.id === unit.id ? unit : item)) });
    offerUndo({
      done: `Renamed “${previousTitle}” to “${unit.title}”.`,
      undoLabel: `Undo renaming ${unit.title}`,
      undone: `“${unit.title}” is called “${previousTitle}” again.`,
      undo: () =>
        call(
          api.PATCH('/api/courses/{courseId}/units/{unitId}', {
            params: { path: { courseId: course.id, unitId: unit.id } },
            headers: ifMatch(unit.version),
            body: { title: previousTitle },
          }),
        ),
    });
    onChanged();
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="course-units">
      <Stack>
        <Title order={2} size="h3" id="course-units">
          {Units}
        </Title>
        <ErrorAlert error={units.error} title={`Could not list the ${Units.toLowerCase()}`} />
        {!units.data && !units.error && <Loader role="status" aria-label={`Loading the ${Units.toLowerCase()}`} />}
        {units.data && units.data.items.length === 0 && <Text>No {Units.toLowerCase()} yet.</Text>}
        {units.data && units.data.items.length > 0 && (
          <SortableList items={units.data.items} label={`${Units} in order`} disabled={readOnly || saving} onReorder={reorder}>
            {(unit, index) => (
              <UnitRow
                courseId={course.id}
                unit={unit}
                position={index + 1}
                readOnly={readOnly}
                onRenamed={renamed}
                onArchived={() => {
                  setLastChange(undefined);
                  onChanged();
                }}
              />
            )}
          </SortableList>
        )}
        {saving && <Text role="status">Saving the new order…</Text>}
        {lastChange && <UndoableStatus key={lastChange.number} change={lastChange.change} onUndone={onChanged} />}
        <ErrorAlert error={reorderError} title="Could not save the new order" />
        {!readOnly && <AddUnitForm courseId={course.id} onAdded={onChanged} />}
      </Stack>
    </Paper>
  );
}
