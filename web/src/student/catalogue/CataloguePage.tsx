import { Button, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { api, call, type Schemas } from '../../shared/api/client';
import { ErrorAlert } from '../../shared/Problem';
import { WhenLoaded } from '../common/Screen';
import { useResource } from '../../shared/useResource';
import { CourseCard } from './CourseCard';
import { ScreenTitle } from '../common/ScreenTitle';

type CourseList = Schemas['CourseList'];

const loadCourses = (cursor?: string) =>
  call(api.GET('/api/courses', { params: { query: { status: 'published', limit: 24, ...(cursor ? { cursor } : {}) } } }));

/** The published courses, a page at a time. */
export function CataloguePage() {
  const first = useResource(() => loadCourses(), 'catalogue');
  return (
    <Stack>
      <ScreenTitle>Course catalogue</ScreenTitle>
      <WhenLoaded loaded={first} what="catalogue">
        {(list) => <CourseListView first={list} />}
      </WhenLoaded>
    </Stack>
  );
}

function CourseListView({ first }: { first: CourseList }) {
  const [more, setMore] = useState<Schemas['CourseSummary'][]>([]);
  const [cursor, setCursor] = useState(first.nextCursor);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>();
  const courses = [...first.items, ...more];
  if (courses.length === 0) return <Text>No course is published yet. Come back later.</Text>;
  const showMore = () => {
    if (!cursor) return;
    setPending(true);
    setError(undefined);
    loadCourses(cursor)
      .then((page) => {
        setMore((items) => [...items, ...page.items]);
        setCursor(page.nextCursor);
      }, setError)
      .finally(() => setPending(false));
  };
  return (
    <Stack>
      <SimpleGrid component="ul" cols={{ base: 1, sm: 2, lg: 3 }} p={0} m={0} style={{ listStyle: 'none' }} aria-label="Courses">
        {courses.map((course) => (
          <CourseCard key={course.id} course={course} />
        ))}
      </SimpleGrid>
      <ErrorAlert error={error} />
      {cursor && (
        <Button variant="default" onClick={showMore} loading={pending} style={{ alignSelf: 'start' }}>
          Show more courses
        </Button>
      )}
    </Stack>
  );
}
