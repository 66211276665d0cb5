import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call, ifMatch, type Schemas } from '../../shared/api/client';
import { ErrorAlert } from '../../shared/Problem';
import { SortableList } from '../SortableList';

/** The unit's pages in order, reordered by dragging; the order is saved with the course's version. */
export function PagesSection({
  course,
  unit,
  onChanged,
}: {
  course: Schemas['Course'];
  unit: Schemas['UnitDetail'];
  onChanged: () => void;
}) {
  const [pages, setPages] = useState(unit.pages);
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const readOnly = course.status === 'archived';
  const base = `/courses/${course.id}/units/${unit.id}`;

  const reorder = (pageIds: string[]) => {
    const byId = new Map(pages.map((page) => [page.id, page]));
    setPages(pageIds.flatMap((id) => byId.get(id) ?? []));
    setSaving(true);
    setSaved(false);
    setError(undefined);
    call(
      api.PUT('/api/courses/{courseId}/units/{unitId}/pages/order', {
        params: { path: { courseId: course.id, unitId: unit.id } },
        headers: ifMatch(course.version),
        body: { pageIds },
      }),
    )
      .then(() => setSaved(true))
      .catch((failure: unknown) => {
        setError(failure);
        setPages(unit.pages);
      })
      .finally(() => {
        setSaving(false);
        onChanged();
      });
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
              <div>
                <Anchor component={Link} to={`${base}/pages/${String(index + 1)}`} fw={600}>
                  {page.title}
                </Anchor>
                <Text size="sm">Page {index + 1}</Text>
              </div>
            )}
          </SortableList>
        )}
        {saving && <Text role="status">Saving the new order…</Text>}
        {saved && <Text role="status">New order saved.</Text>}
        <ErrorAlert error={error} title="Could not save the new order" />
      </Stack>
    </Paper>
  );
}
