import { Anchor, Badge, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api, call, type Schemas } from '../../shared/api/client';
import { ErrorAlert } from '../../shared/Problem';
import { useTerms } from '../../shared/terms';
import { useAllCategories, useAuthorCategories } from '../categories/useCategories';
import { STATUS_COLOR, STATUSES, statusLabel, unitTypeLabel, type CourseStatus } from '../structure';
import { useScopeCategories } from '../scope';
import { FilterSelect } from './FilterSelect';
import { useResource } from '../../shared/useResource';

interface Filters {
  categoryId: string;
  status: CourseStatus | '';
}

function CourseCard({ course, categoryName }: { course: Schemas['CourseSummary']; categoryName: string }) {
  const { unit, units } = useTerms();
  const count = course.structure?.unitCount ?? 0;
  return (
    <Paper component="li" withBorder p="md">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Title order={2} size="h4">
            <Anchor component={Link} to={`/courses/${course.id}`}>
              {course.title}
            </Anchor>
          </Title>
          <Text size="sm">
            {categoryName} · {count} {count === 1 ? unit : units} · structure: {unitTypeLabel(course.structure?.unitType).toLowerCase()}
          </Text>
        </Stack>
        <Badge color={STATUS_COLOR[course.status]} variant="filled">
          {statusLabel(course.status)}
        </Badge>
      </Group>
    </Paper>
  );
}

type CoursePage = Schemas['CourseList'];

/**
 * A page of the courses matching the filters. A subadmin without a category
 * chosen gets the first page of each of their categories: the gateway would
 * also list other categories' published courses, which they cannot author.
 */
async function listCourses(filters: Filters, scope: readonly string[] | undefined, cursor?: string): Promise<CoursePage> {
  if (scope && !filters.categoryId && !cursor) {
    const pages = await Promise.all(scope.map((categoryId) => listCourses({ ...filters, categoryId }, undefined)));
    const items = pages.flatMap((page) => page.items).sort((a, b) => a.title.localeCompare(b.title));
    return { items, nextCursor: null };
  }
  const query = {
    limit: 50,
    ...(filters.categoryId ? { categoryId: filters.categoryId } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(cursor ? { cursor } : {}),
  };
  return call(api.GET('/api/courses', { params: { query } }));
}

/** The courses the user may author, filtered by category and status; the gateway decides which ones a subadmin sees. */
export function CoursesScreen() {
  const [filters, setFilters] = useState<Filters>({ categoryId: '', status: '' });
  const [more, setMore] = useState<{ items: Schemas['CourseSummary'][]; nextCursor: string | null }>();
  const [moreError, setMoreError] = useState<unknown>();
  const categories = useAllCategories();
  const pickable = useAuthorCategories();
  const scope = useScopeCategories();
  const load = useCallback(() => listCourses(filters, scope), [filters, scope]);
  const courses = useResource(load);
  const nameOf = (id: string) => categories.data?.find((category) => category.id === id)?.name ?? 'Unknown category';
  const items = [...(courses.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : courses.data?.nextCursor;

  const change = (next: Partial<Filters>) => {
    setMore(undefined);
    setFilters((current) => ({ ...current, ...next }));
  };
  const loadMore = (cursor: string) => {
    setMoreError(undefined);
    listCourses(filters, scope, cursor).then(
      (page) => setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor }),
      setMoreError,
    );
  };

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>Courses</Title>
        <Button component={Link} to="/courses/new">
          New course
        </Button>
      </Group>
      <Group align="flex-end" wrap="wrap" role="search" aria-label="Filter the courses">
        <FilterSelect
          label="Category"
          value={filters.categoryId}
          onChange={(categoryId) => change({ categoryId })}
          options={[
            { value: '', label: 'All categories' },
            ...(pickable.data ?? []).map((category) => ({ value: category.id, label: category.name })),
          ]}
        />
        <FilterSelect
          label="Status"
          value={filters.status}
          onChange={(status) => change({ status: status as CourseStatus | '' })}
          options={[{ value: '', label: 'Any status' }, ...STATUSES]}
        />
      </Group>
      <ErrorAlert error={courses.error} title="Could not list the courses" />
      {!courses.data && !courses.error && <Loader role="status" aria-label="Loading the courses" />}
      {courses.data && items.length === 0 && <Text>No courses match these filters.</Text>}
      {items.length > 0 && (
        <Stack component="ul" aria-label="Courses" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((course) => (
            <CourseCard key={course.id} course={course} categoryName={nameOf(course.categoryId)} />
          ))}
        </Stack>
      )}
      <ErrorAlert error={moreError} title="Could not load more courses" />
      {nextCursor && (
        <Button variant="default" onClick={() => loadMore(nextCursor)}>
          Show more courses
        </Button>
      )}
    </Stack>
  );
}
