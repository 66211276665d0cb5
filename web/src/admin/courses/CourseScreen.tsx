import { Badge, Group, Stack, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { api, call } from '../../shared/api/client';
import { Loaded } from '../Loaded';
import { STATUS_COLOR, statusLabel, structured, unitTypeLabel } from '../structure';
import { outOfScope, useInScope, type InScope } from '../scope';
import { useResource } from '../../shared/useResource';
import { CourseActions } from './CourseActions';
import { CourseDetailsForm } from './CourseDetailsForm';
import { UnitsSection } from './UnitsSection';
import { useParams } from 'react-router';
import { Trail } from '../Trail';

/** A course in the structured view; 404 for one that is not in the user's categories. */
export async function loadCourse(courseId: string, inScope: InScope) {
  const course = structured(await call(api.GET('/api/courses/{courseId}', { params: { path: { courseId } } })));
  if (!inScope(course.categoryId)) throw outOfScope();
  return course;
}

/** One course: its details, publishing, and its units. */
export function CourseScreen() {
  const { courseId = '' } = useParams();
  const inScope = useInScope();
  const load = useCallback(() => loadCourse(courseId, inScope), [courseId, inScope]);
  const course = useResource(load);
  return (
    <Loaded resource={course} what="course">
      {(found) => (
        <Stack>
          <Trail steps={[{ label: found.title }]} />
          <Group justify="space-between" wrap="wrap" align="center">
            <Title order={1}>{found.title}</Title>
            <Badge color={STATUS_COLOR[found.status]} variant="filled" size="lg">
              {statusLabel(found.status)}
            </Badge>
          </Group>
          <Text size="sm">Structure: {unitTypeLabel(found.structure?.unitType).toLowerCase()}</Text>
          {/* Keyed by course: the form keeps what is typed while the course changes elsewhere on the screen. */}
          <CourseDetailsForm key={found.id} course={found} onSaved={course.replace} />
          <CourseActions course={found} onChanged={course.replace} />
          <UnitsSection course={found} onChanged={course.reload} />
        </Stack>
      )}
    </Loaded>
  );
}
