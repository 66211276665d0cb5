import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { Schemas } from '../../shared/api/client';
import { ErrorAlert } from '../../shared/Problem';
import { ScreenTitle } from '../common/ScreenTitle';
import { useDeliveredGems } from './useDeliveredGems';

type Attempt = Schemas['Attempt'];

const gems = (count: number) => `${String(count)} ${count === 1 ? 'gem' : 'gems'}`;

/** What the attempt earned, in words: only a first attempt earns gems, and they may still be on their way. */
export function gemsMessage(attempt: Attempt): string {
  if (!attempt.firstAttempt) return 'No gems: only your first attempt earns gems.';
  if (attempt.gemsStatus === 'pending') return `${gems(attempt.gemsAwarded)} are on their way. ${attempt.message ?? ''}`.trim();
  if (attempt.gemsAwarded > 0) return `You earned ${gems(attempt.gemsAwarded)}.`;
  return 'You earned no gems this time: gems follow your score on a first attempt.';
}

export function QuizResult({
  quizId,
  title,
  attempt: submitted,
  onNext,
  onRetake,
  nextPending,
  nextError,
}: {
  quizId: string;
  title: string;
  attempt: Attempt;
  onNext: () => void;
  onRetake: () => void;
  nextPending: boolean;
  nextError: unknown;
}) {
  // Gems on their way are shown landing without a reload.
  const attempt = useDeliveredGems(quizId, submitted);
  return (
    <Stack maw="48em">
      <ScreenTitle>Result: {title}</ScreenTitle>
      <Paper withBorder p="md" component="section" aria-labelledby="score-heading">
        <Stack gap="xs">
          <Title order={2} size="h3" id="score-heading">
            Score
          </Title>
          <Text size="xl" fw={700}>
            You scored {attempt.score} of {attempt.maxScore}.
          </Text>
          <Text fw={500}>{attempt.passed ? 'You passed.' : 'You did not pass this time.'}</Text>
          <Text>Attempt {attempt.attemptNumber}</Text>
        </Stack>
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="gems-heading">
        <Stack gap="xs">
          <Title order={2} size="h3" id="gems-heading">
            Gems
          </Title>
          <Text aria-live="polite">{gemsMessage(attempt)}</Text>
        </Stack>
      </Paper>
      <ErrorAlert error={nextError} title="Could not find what comes next" />
      <Group>
        <Button size="md" onClick={onNext} loading={nextPending}>
          Next
        </Button>
        <Button size="md" variant="default" onClick={onRetake}>
          Try again
        </Button>
      </Group>
    </Stack>
  );
}
