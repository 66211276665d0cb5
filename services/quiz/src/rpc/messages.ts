/** Domain values to and from the wire (testmancer.quiz.v1). */
import { quizV1 } from '@testmancer/proto';
import { gemsOf, maxScoreOf, type AttemptRecord, type QuestionInput, type QuestionType, type QuizLocation, type QuizState, type QuizTrigger, type QuizView } from '../domain';

const questionTypes: Record<QuestionType, quizV1.QuestionType> = {
  single: quizV1.QuestionType.SINGLE,
  multiple: quizV1.QuestionType.MULTIPLE,
  trueFalse: quizV1.QuestionType.TRUE_FALSE,
};

const triggers: Record<QuizTrigger, quizV1.QuizTrigger> = {
  unit: quizV1.QuizTrigger.UNIT,
  page: quizV1.QuizTrigger.PAGE,
};

const keyOf = <K extends string, V>(table: Record<K, V>, value: V): K | undefined =>
  (Object.keys(table) as K[]).find((key) => table[key] === value);

/** UNSPECIFIED (and anything unknown) is undefined: validation names it. */
export const triggerFromProto = (trigger: quizV1.QuizTrigger | undefined): QuizTrigger | undefined =>
  trigger === undefined ? undefined : keyOf(triggers, trigger);

export const questionFromProto = (question: quizV1.Question): QuestionInput => ({
  id: question.id || undefined,
  type: keyOf(questionTypes, question.type),
  prompt: question.prompt,
  options: question.options,
  answer: question.answer,
  // The gateway applies the REST default; 0 on the wire is refused, not defaulted.
  points: question.points,
});

export function quizMessage(quiz: QuizState, location: QuizLocation): quizV1.Quiz {
  return {
    id: quiz.id,
    courseId: quiz.courseId,
    trigger: triggers[quiz.trigger],
    unitId: quiz.unitId,
    pageId: quiz.pageId ?? '',
    ...(location.pageOrder === undefined ? {} : { pageOrder: location.pageOrder }),
    title: quiz.title,
    questions: quiz.questions.map((q) => ({
      id: q.id,
      type: questionTypes[q.type],
      prompt: q.prompt,
      options: [...q.options],
      answer: [...q.answer],
      points: q.points,
    })),
    gemReward: quiz.gemReward,
    orphaned: location.orphaned,
    version: quiz.version,
    createdBy: quiz.createdBy,
    createdAt: quiz.createdAt,
    updatedAt: quiz.updatedAt,
    maxScore: maxScoreOf(quiz.questions),
  };
}

export function quizViewMessage(view: QuizView): quizV1.QuizView {
  return {
    id: view.id,
    courseId: view.courseId,
    trigger: triggers[view.trigger],
    unitId: view.unitId,
    ...(view.pageOrder === undefined ? {} : { pageOrder: view.pageOrder }),
    title: view.title,
    questions: view.questions.map((q) => ({ id: q.id, type: questionTypes[q.type], prompt: q.prompt, options: [...q.options], points: q.points })),
    gemReward: view.gemReward,
    version: view.version,
    maxScore: view.maxScore,
  };
}

/** NONE: owes nothing; GRANTED: delivered; PENDING: recorded, on its way. */
export function gemsStatusOf(attempt: AttemptRecord): quizV1.GemsStatus {
  if (!attempt.grant) return quizV1.GemsStatus.NONE;
  return attempt.grant.status === 'delivered' ? quizV1.GemsStatus.GRANTED : quizV1.GemsStatus.PENDING;
}

export function attemptMessage(attempt: AttemptRecord, gemsStatus = gemsStatusOf(attempt)): quizV1.Attempt {
  return {
    id: attempt.id,
    quizId: attempt.quizId,
    courseId: attempt.courseId,
    userId: attempt.userId,
    attemptNumber: attempt.attemptNumber,
    score: attempt.score,
    maxScore: attempt.maxScore,
    passed: attempt.passed,
    firstAttempt: attempt.attemptNumber === 1,
    gemsAwarded: gemsOf(attempt),
    gemsStatus,
    timeTakenMs: attempt.timeTakenMs,
    createdAt: attempt.createdAt,
  };
}
