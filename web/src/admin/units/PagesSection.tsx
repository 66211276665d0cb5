import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call, ifMatch, type Schemas } from '../../shared/api/client';
import { ErrorAlert } from '../../shared/Problem';
import { SortableList } from '../SortableList';
import { newOrder, UndoableStatus, type UndoableChange } from '../UndoableStatus';
import { PageRow } from './PageRow';

type PageSummary = Schemas['PageSummary'];

/**
 * The unit's pages in order, reordered by dragging (mouse, touch or keyboard);
 * the order is saved with the course's version. Pages are renamed and archived
 * in their rows; a rename or a new order can be undone, an archived page cannot.
 */
export function PagesSection({
  course,
  unit,
  onChanged,
}: {
  course: Schemas['Course'];
  unit: Schemas['UnitDetail'];
  onChanged: () => void;
}) {
  // The pages as just changed here (a new order, a new title), shown until the unit is loaded again.
  const [changed, setChanged] = useState<{ of: Schemas['UnitDetail']; pages: PageSummary[] }>();
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  // The last change that can be undone, numbered: each new one replaces the offer to undo the one before.
  const [lastChange, setLastChange] = useState<{ number: number; change: UndoableChange }>();
  const pages = changed?.of === unit ? changed.pages : unit.pages;
  const readOnly = course.status === 'archived';
  const base = `/courses/${course.id}/units/${unit.id}`;
  const at = { courseId: course.id, unitId: unit.id };
  const offerUndo = (change: UndoableChange) => setLastChange((last) => ({ number: (last?.number ?? 0) + 1, change }));

  const putOrder = (pageIds: string[], courseVersion: number) =>
    call(
      api.PUT('/api/courses/{courseId}/units/{unitId}/pages/order', {
        params: { path: at },
        headers: ifMatch(courseVersion),
        body: { pageIds },
      }),
    );

  const reorder = (pageIds: string[]) => {
    const previousIds = pages.map((page) => page.id);
    const byId = new Map(pages.map((page) => [page.id, page]));
    setChanged({ of: unit, pages: pageIds.flatMap((id) => byId.get(id) ?? []) });
    setSaving(true);
    setLastChange(undefined);
    setError(undefined);
    putOrder(pageIds, course.version)
      .then((saved) => offerUndo(newOrder(() => putOrder(previousIds, saved.version))))
      .catch((failure: unknown) => {
        setError(failure);
        setChanged(undefined);
      })
      .finally(() => {
        setSaving(false);
        onChanged();
      });
  };

  const renamed = (page: Schemas['Page'], previousTitle: string) => {
    setChanged({ of: unit, pages: pages.map((summary) => (summary.id === page.id ? { ...summary, title: page.title } : summary)) });
    offerUndo({
      done: `Renamed “${previousTitle}” to “${page.title}”.`,
      undoLabel: `Undo renaming ${page.title}`,
      undone: `“${page.title}” is called “${previousTitle}” again.`,
      undo: () =>
        call(
          api.PATCH('/api/courses/{courseId}/units/{unitId}/pages/{pageOrder}', {
            params: { path: { ...at, pageOrder: page.pageOrder } },
            headers: ifMatch(page.version),
            body: { title: previousTitle },
          }),
        ),
    });
    onChanged();
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="unit-pages">
      <Stack>
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h3" id="unit-pages">
            Pages
          </Title>
          {!readOnly && (
            <Button component={Link} to={`${base}/pages/new`}>
              Add page
            </Button>
          )}
        </Group>
        {pages.length === 0 ? (
          <Text>No pages yet.</Text>
        ) : (
          <SortableList items={pages} label="Pages in order" disabled={readOnly || saving} onReorder={reorder}>
            {(page, index) => (
              <PageRow
                at={at}
                page={page}
                position={index + 1}
                editorPath={`${base}/pages/${String(index + 1)}`}
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
        <ErrorAlert error={error} title="Could not save the new order" />
      </Stack>
    </Paper>
  );
}
