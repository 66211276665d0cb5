import { Anchor, Stack } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call, type Schemas } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { routes } from '../common/routes';
import { WhenLoaded } from '../common/Screen';
import { useGoNext } from '../common/useGoNext';
import { useResource } from '../../shared/useResource';
import { loadCourse } from '../course/CoursePage';
import { QuizForm } from './QuizForm';
import { QuizResult } from './QuizResult';

async function loadQuiz(courseId: string, quizId: string) {
  const [course, quiz] = await Promise.all([
    loadCourse(courseId),
    call(api.GET('/api/quizzes/{quizId}', { params: { path: { quizId } } })),
  ]);
  // A quiz of another course is not found in this one.
  if (quiz.courseId !== courseId) throw new ApiError(404, undefined);
  return { course, quiz: quiz };
}

/** A quiz: its questions, then the result of the attempt, from which the student goes on or tries again. */
export function QuizScreen() {
  const { courseId = '', quizId = '' } = useParams();
  const loaded = useResource(() => loadQuiz(courseId, quizId), `${courseId}/${quizId}`);
  return (
    <WhenLoaded loaded={loaded} what="quiz">
      {({ course, quiz }) => <QuizTaking key={quiz.id} courseTitle={course.title} quiz={quiz} />}
    </WhenLoaded>
  );
}

function QuizTaking({ courseTitle, quiz }: { courseTitle: string; quiz: Schemas['QuizView'] }) {
  const [attempt, setAttempt] = useState<Schemas['Attempt']>();
  // Each try is a fresh form, so its answers and submission key start empty.
  const [round, setRound] = useState(0);
  const next = useGoNext(quiz.courseId);
  return (
    <Stack>
      <Anchor component={Link} to={routes.course(quiz.courseId)}>
        Back to {courseTitle}
      </Anchor>
      {attempt ? (
        <QuizResult
          quizId={quiz.id}
          title={quiz.title}
          attempt={attempt}
          onNext={() => next.goNext({ kind: 'quiz', quizId: quiz.id })}
          onRetake={() => {
            setAttempt(undefined);
            setRound((value) => value + 1);
          }}
          nextPending={next.pending}
          nextError={next.error}
        />
      ) : (
        <QuizForm key={round} quiz={quiz} onScored={setAttempt} />
      )}
    </Stack>
  );
}
