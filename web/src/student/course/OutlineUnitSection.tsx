import { Anchor, Badge, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { routes } from '../common/routes';
import type { OutlineItem, OutlineUnit } from './outline';

function ItemLine({ courseId, item }: { courseId: string; item: OutlineItem }) {
  if (item.type === 'page')
    return (
      <Group gap="xs" wrap="nowrap">
        <Anchor component={Link} to={routes.page(courseId, item.unitId, item.pageOrder)}>
          {item.title}
        </Anchor>
        {item.viewed && (
          <Badge color="teal.9" variant="filled" size="sm">
            Viewed
          </Badge>
        )}
      </Group>
    );
  const status =
    item.attempts === 0
      ? 'not taken yet'
      : `best score ${String(item.bestScore ?? 0)} of ${String(item.maxScore)}${item.passed ? ', passed' : ''}`;
  return (
    <Group gap="xs" wrap="wrap">
      <Anchor component={Link} to={routes.quiz(courseId, item.quizId)}>
        Quiz: {item.title}
      </Anchor>
      <Text size="sm">({status})</Text>
    </Group>
  );
}

/** One unit of the outline: its pages in order with the quizzes where they come. */
export function OutlineUnitSection({ courseId, unit, word }: { courseId: string; unit: OutlineUnit; word: string }) {
  const headingId = `unit-${unit.id}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Title order={2} size="h3" id={headingId}>
          {word} {unit.order}: {unit.title}
        </Title>
        {unit.items.length === 0 ? (
          <Text>Nothing here yet.</Text>
        ) : (
          <List type="ordered" spacing="xs">
            {unit.items.map((item) => (
              <List.Item key={item.type === 'page' ? `page-${String(item.pageOrder)}` : `quiz-${item.quizId}`}>
                <ItemLine courseId={courseId} item={item} />
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Paper>
  );
}
