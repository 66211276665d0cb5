import { Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api, call, ifMatch, type Schemas } from '../../shared/api/client';
import { ErrorAlert } from '../../shared/Problem';
import { useSession } from '../../shared/session';
import { useTerms } from '../../shared/terms';
import { useResource } from '../../shared/useResource';

type Quiz = Schemas['QuizView'];

/** The unit's quizzes and, where page quizzes are on for this user, those of each of its pages. */
async function loadQuizzes(unit: Schemas['UnitDetail'], pageQuizzes: boolean): Promise<Quiz[]> {
  const unitQuizzes = call(api.GET('/api/quizzes/unit/{unitId}', { params: { path: { unitId: unit.id }, query: { limit: 100 } } }));
  const pageLists = pageQuizzes
    ? unit.pages.map((page) =>
        call(
          api.GET('/api/quizzes/page/{unitId}/{pageOrder}', {
            params: { path: { unitId: unit.id, pageOrder: page.pageOrder }, query: { limit: 100 } },
          }),
        ),
      )
    : [];
  const [own, ...perPage] = await Promise.all([unitQuizzes, ...pageLists]);
  return [...perPage.flatMap((list) => list.items), ...own.items];
}

function QuizRow({ quiz, where, readOnly, onDeleted }: { quiz: Quiz; where: string; readOnly: boolean; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  const remove = () => {
    setPending(true);
    setError(undefined);
    call(api.DELETE('/api/quizzes/{quizId}', { params: { path: { quizId: quiz.id } }, headers: ifMatch(quiz.version) })).then(
      onDeleted,
      (failure: unknown) => {
        setPending(false);
        setError(failure);
      },
    );
  };
  return (
    <Paper component="li" withBorder p="sm">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <div>
            <Text fw={600}>{quiz.title}</Text>
            <Text size="sm">
              {where} · {quiz.questions.length} {quiz.questions.length === 1 ? 'question' : 'questions'} · {quiz.gemReward} gems
            </Text>
          </div>
          {!readOnly && !confirming && (
            <Group gap="xs">
              <Button
                size="xs"
                variant="outline"
                component={Link}
                to={`/courses/${quiz.courseId}/units/${quiz.moduleId}/quizzes/${quiz.id}/edit`}
                aria-label={`Edit quiz ${quiz.title}`}
              >
                Edit
              </Button>
              <Button
                size="xs"
                variant="outline"
                color="red.9"
                onClick={() => setConfirming(true)}
                aria-label={`Delete quiz ${quiz.title}`}
              >
                Delete
              </Button>
            </Group>
          )}
        </Group>
        {confirming && (
          <Group gap="xs" wrap="wrap" role="group" aria-label={`Confirm deleting quiz ${quiz.title}`}>
            <Text size="sm">Delete this quiz? Attempts and gems already earned stay.</Text>
            <Button size="xs" color="red.9" onClick={remove} loading={pending}>
              Yes, delete
            </Button>
            <Button size="xs" variant="default" onClick={() => setConfirming(false)}>
              Keep it
            </Button>
          </Group>
        )}
        <ErrorAlert error={error} title="Could not delete the quiz" />
      </Stack>
    </Paper>
  );
}

export function QuizzesSection({ course, unit }: { course: Schemas['Course']; unit: Schemas['UnitDetail'] }) {
  const { unit: term } = useTerms();
  const pageQuizzes = useSession().session.flags.PAGE_QUIZZES_ENABLED;
  const load = useCallback(() => loadQuizzes(unit, pageQuizzes), [unit, pageQuizzes]);
  const quizzes = useResource(load);
  const readOnly = course.status === 'archived';
  const where = (quiz: Quiz) => {
    if (quiz.trigger === 'unit') return `After the ${term}`;
    const page = unit.pages.find((candidate) => candidate.pageOrder === quiz.pageOrder);
    return `After page ${String(quiz.pageOrder ?? '?')}${page ? ` (${page.title})` : ''}`;
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="unit-quizzes">
      <Stack>
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h3" id="unit-quizzes">
            Quizzes
          </Title>
          {!readOnly && (
            <Button component={Link} to={`/courses/${course.id}/units/${unit.id}/quizzes/new`}>
              Add quiz
            </Button>
          )}
        </Group>
        {!pageQuizzes && <Text size="sm">Page quizzes are off for you: only the quizzes after the whole {term} are listed.</Text>}
        <ErrorAlert error={quizzes.error} title="Could not list the quizzes" />
        {!quizzes.data && !quizzes.error && <Loader role="status" aria-label="Loading the quizzes" />}
        {quizzes.data && quizzes.data.length === 0 && <Text>No quizzes yet.</Text>}
        {quizzes.data && quizzes.data.length > 0 && (
          <Stack component="ul" aria-label="Quizzes" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
            {quizzes.data.map((quiz) => (
              <QuizRow key={quiz.id} quiz={quiz} where={where(quiz)} readOnly={readOnly} onDeleted={quizzes.reload} />
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
