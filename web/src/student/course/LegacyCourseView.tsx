import { Paper, Stack, Text, Title } from '@mantine/core';
import type { Schemas } from '../../shared/api/client';
import { useTerms } from '../../shared/terms';
import { ContentMarkdown } from '../common/ContentMarkdown';
import { ScreenTitle } from '../common/ScreenTitle';

/**
 * The view before structured courses (STRUCTURED_COURSES_ENABLED off): ordered modules with their
 * content inline, to read from top to bottom. There is no progress, Next or page quiz in it.
 */
export function LegacyCourseView({ course }: { course: Schemas['LegacyCourse'] }) {
  const terms = useTerms();
  const modules = [...course.modules].sort((a, b) => a.order - b.order);
  return (
    <Stack>
      <ScreenTitle>{course.title}</ScreenTitle>
      {course.description && <Text>{course.description}</Text>}
      {modules.length === 0 && <Text>This course has no {terms.units} yet.</Text>}
      {modules.map((module) => (
        <Paper key={module.id} withBorder p="md" component="section" aria-labelledby={`module-${module.id}`}>
          <Title order={2} size="h3" id={`module-${module.id}`} mb="sm">
            {terms.Unit} {module.order}: {module.title}
          </Title>
          {module.content ? <ContentMarkdown below={2}>{module.content}</ContentMarkdown> : <Text>No content yet.</Text>}
        </Paper>
      ))}
    </Stack>
  );
}
