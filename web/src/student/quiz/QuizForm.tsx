import { Button, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { api, call, type Schemas } from '../../shared/api/client';
import { ErrorAlert } from '../../shared/Problem';
import { attemptAnswers, unanswered, type Answers } from './answers';
import { QuestionField } from './QuestionField';
import { ScreenTitle } from '../common/ScreenTitle';

/** The questions of a quiz; submitting scores them and hands the attempt over. */
export function QuizForm({ quiz, onScored }: { quiz: Schemas['QuizView']; onScored: (attempt: Schemas['Attempt']) => void }) {
  const [answers, setAnswers] = useState<Answers>({});
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>();
  const startedAt = useRef(0);
  // One key per submission: a retry after a lost answer gets the attempt already recorded, not a second one.
  const idempotencyKey = useRef<string | undefined>(undefined);
  useEffect(() => {
    startedAt.current = Date.now();
  }, []);
  const left = unanswered(quiz.questions, answers);

  const submit = () => {
    idempotencyKey.current ??= crypto.randomUUID();
    setPending(true);
    setError(undefined);
    const timeTakenMs = Math.max(0, Math.round(Date.now() - startedAt.current));
    call(
      api.POST('/api/quizzes/{quizId}/attempts', {
        params: { path: { quizId: quiz.id } },
        body: { answers: attemptAnswers(quiz.questions, answers), timeTakenMs },
        headers: { 'Idempotency-Key': idempotencyKey.current },
      }),
    ).then(
      (attempt) => {
        setPending(false);
        onScored(attempt);
      },
      (failure: unknown) => {
        setPending(false);
        setError(failure);
      },
    );
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Stack>
        <ScreenTitle>{quiz.title}</ScreenTitle>
        <Text>
          {quiz.questions.length} {quiz.questions.length === 1 ? 'question' : 'questions'}, {quiz.maxScore} points. Your first attempt earns
          up to {quiz.gemReward} gems.
        </Text>
        {quiz.questions.map((question, index) => (
          <QuestionField
            key={question.id}
            question={question}
            number={index + 1}
            answer={answers[question.id]}
            onAnswer={(answer) => setAnswers((current) => ({ ...current, [question.id]: answer }))}
          />
        ))}
        {quiz.questions.length === 0 && <Text>This quiz has no questions yet.</Text>}
        {left > 0 && (
          <Text>
            {left} {left === 1 ? 'question is' : 'questions are'} not answered yet; an unanswered question scores 0.
          </Text>
        )}
        <ErrorAlert error={error} title="Your answers were not sent" />
        <Button type="submit" size="md" loading={pending} style={{ alignSelf: 'start' }}>
          Submit answers
        </Button>
      </Stack>
    </form>
  );
}
