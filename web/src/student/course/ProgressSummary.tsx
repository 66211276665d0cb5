import { Group, Paper, Progress, Stack, Text } from '@mantine/core';
import type { Schemas } from '../../shared/api/client';

/** How far the student is: pages viewed, quizzes done, gems earned in this course. */
export function ProgressSummary({ progress }: { progress: Schemas['CourseProgress'] }) {
  const quizzesDone = progress.quizzes.filter((quiz) => quiz.attempts > 0).length;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="progress-heading">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text id="progress-heading" fw={700} component="h2" m={0} size="lg">
            Your progress
          </Text>
          <Text fw={700}>{progress.percent}% complete</Text>
        </Group>
        <Progress value={progress.percent} aria-label="Pages viewed" size="lg" />
        <Text>
          {progress.completedPages} of {progress.totalPages} pages viewed · {quizzesDone} of {progress.quizzes.length} quizzes done ·{' '}
          {progress.earnedGems} gems earned here
        </Text>
      </Stack>
    </Paper>
  );
}
