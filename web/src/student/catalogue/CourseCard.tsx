import { Anchor, Card, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { Schemas } from '../../shared/api/client';
import { useTerms } from '../../shared/terms';
import { routes } from '../common/routes';
import { countOf, partWord } from '../course/courseShape';

/** One published course: its title opens it; its structure says how it is divided. */
export function CourseCard({ course }: { course: Schemas['CourseSummary'] }) {
  const terms = useTerms();
  const { structure } = course;
  return (
    <Card withBorder component="li" padding="md">
      <Stack gap="xs">
        <Title order={2} size="h3">
          <Anchor component={Link} to={routes.course(course.id)} inherit>
            {course.title}
          </Anchor>
        </Title>
        {structure && <Text fw={500}>{countOf(structure.unitCount, partWord(structure.unitType, terms))}</Text>}
        {course.description && <Text>{course.description}</Text>}
      </Stack>
    </Card>
  );
}
