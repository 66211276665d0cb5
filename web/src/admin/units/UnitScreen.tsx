import { Stack, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { api, call } from '../../shared/api/client';
import { useTerms } from '../../shared/terms';
import { loadCourse } from '../courses/CourseScreen';
import { Loaded } from '../Loaded';
import { useInScope, type InScope } from '../scope';
import { useResource } from '../../shared/useResource';
import { PagesSection } from './PagesSection';
import { QuizzesSection } from './QuizzesSection';
import { useParams } from 'react-router';
import { Trail } from '../Trail';

/** The course (its version orders the pages) and the unit with its pages, in one load. */
export async function loadUnit(courseId: string, unitId: string, inScope: InScope) {
  const [course, unit] = await Promise.all([
    loadCourse(courseId, inScope),
    call(api.GET('/api/courses/{courseId}/units/{unitId}', { params: { path: { courseId, unitId } } })),
  ]);
  return { course, unit };
}

/** One unit: its pages (added, renamed, archived, reordered by dragging) and its quizzes. */
export function UnitScreen() {
  const { courseId = '', unitId = '' } = useParams();
  const { unit: term, Unit } = useTerms();
  const inScope = useInScope();
  const load = useCallback(() => loadUnit(courseId, unitId, inScope), [courseId, unitId, inScope]);
  const loaded = useResource(load);
  return (
    <Loaded resource={loaded} what={term}>
      {({ course, unit }) => (
        <Stack>
          <Trail steps={[{ label: course.title, to: `/courses/${course.id}` }, { label: unit.title }]} />
          <Title order={1}>{unit.title}</Title>
          <Text size="sm">
            {Unit} of the course {course.title}
          </Text>
          <PagesSection course={course} unit={unit} onChanged={loaded.reload} />
          <QuizzesSection course={course} unit={unit} />
        </Stack>
      )}
    </Loaded>
  );
}
