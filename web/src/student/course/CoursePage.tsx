import { Button, Stack, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { api, call } from '../../shared/api/client';
import { ErrorAlert } from '../../shared/Problem';
import { useTerms } from '../../shared/terms';
import { NotFound, WhenLoaded } from '../common/Screen';
import { useGoNext } from '../common/useGoNext';
import { useResource } from '../../shared/useResource';
import { isLegacy, partWord, unitsOf, type StructuredCourse } from './courseShape';
import { LegacyCourseView } from './LegacyCourseView';
import { outlineOf, resumePoint } from './outline';
import { OutlineUnitSection } from './OutlineUnitSection';
import { ProgressSummary } from './ProgressSummary';
import { ScreenTitle } from '../common/ScreenTitle';

export const loadCourse = (courseId: string) => call(api.GET('/api/courses/{courseId}', { params: { path: { courseId } } }));

/** A course: its outline with progress, or the legacy view where structured courses are off. */
export function CoursePage() {
  const { courseId = '' } = useParams();
  const course = useResource(() => loadCourse(courseId), courseId);
  if (!/^[0-9a-f]{24}$/i.test(courseId)) return <NotFound what="course" />;
  return (
    <WhenLoaded loaded={course} what="course">
      {(found) => (isLegacy(found) ? <LegacyCourseView course={found} /> : <CourseOutline course={found} />)}
    </WhenLoaded>
  );
}

async function loadOutline(course: StructuredCourse) {
  const path = { courseId: course.id };
  const [progress, units] = await Promise.all([
    call(api.GET('/api/courses/{courseId}/progress', { params: { path } })),
    Promise.all(
      unitsOf(course).map((unit) =>
        call(api.GET('/api/courses/{courseId}/units/{unitId}', { params: { path: { ...path, unitId: unit.id } } })),
      ),
    ),
  ]);
  return { progress, outline: outlineOf(units, progress) };
}

function CourseOutline({ course }: { course: StructuredCourse }) {
  const terms = useTerms();
  const word = partWord(course.structure?.unitType, terms);
  const loaded = useResource(() => loadOutline(course), `${course.id}.${String(course.version)}`);
  const next = useGoNext(course.id);
  return (
    <Stack>
      <ScreenTitle>{course.title}</ScreenTitle>
      {course.description && <Text>{course.description}</Text>}
      <WhenLoaded loaded={loaded} what="outline">
        {({ progress, outline }) => {
          const resume = resumePoint(outline);
          return (
            <Stack>
              <ProgressSummary progress={progress} />
              <Button onClick={() => next.goNext(resume.from)} loading={next.pending} style={{ alignSelf: 'start' }} size="md">
                {resume.started ? 'Continue' : 'Start'}
              </Button>
              <ErrorAlert error={next.error} />
              {outline.length === 0 && <Text>This course has no {word.many} yet.</Text>}
              {outline.map((unit) => (
                <OutlineUnitSection key={unit.id} courseId={course.id} unit={unit} word={word.One} />
              ))}
            </Stack>
          );
        }}
      </WhenLoaded>
    </Stack>
  );
}
