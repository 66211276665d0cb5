import { Anchor, Group, Stack, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { api, call } from '../../shared/api/client';
import { routes } from '../common/routes';
import { WhenLoaded } from '../common/Screen';
import { useResource } from '../../shared/useResource';
import { loadCourse } from './CoursePage';
import { ProgressSummary } from './ProgressSummary';
import { ScreenTitle } from '../common/ScreenTitle';

async function loadEnd(courseId: string) {
  const [course, progress] = await Promise.all([
    loadCourse(courseId),
    call(api.GET('/api/courses/{courseId}/progress', { params: { path: { courseId } } })),
  ]);
  return { course, progress };
}

/** Past the last item of a course: what the student did, and where to go from here. */
export function EndScreen() {
  const { courseId = '' } = useParams();
  const loaded = useResource(() => loadEnd(courseId), courseId);
  return (
    <WhenLoaded loaded={loaded} what="course">
      {({ course, progress }) => (
        <Stack maw="48em">
          <ScreenTitle>End of {course.title}</ScreenTitle>
          <Text>
            {progress.percent === 100
              ? 'You have been through every page of this course.'
              : 'You reached the end of the course; some pages are still unviewed, you can find them in the outline.'}
          </Text>
          <ProgressSummary progress={progress} />
          <Group>
            <Anchor component={Link} to={routes.course(course.id)}>
              Back to the course outline
            </Anchor>
            <Anchor component={Link} to={routes.gems()}>
              See your gems
            </Anchor>
            <Anchor component={Link} to={routes.catalogue()}>
              Find another course
            </Anchor>
          </Group>
        </Stack>
      )}
    </WhenLoaded>
  );
}
