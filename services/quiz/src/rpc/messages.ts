/** Domain values to and from the wire (testmancer.quiz.v1). */
import { quizV1 } from '@testmancer/proto';
import {
  fieldsOf,
  gemsOf,
  maxScoreOf,
  type AttemptAnswer,
  type AttemptRecord,
  type Question,
  type QuestionInput,
  type QuestionView,
  type QuizLocation,
  type QuizResult,
  type QuizState,
  type QuizTrigger,
  type QuizView,
} from '../domain';

const triggers: Record<QuizTrigger, quizV1.QuizTrigger> = {
  unit: quizV1.QuizTrigger.UNIT,
  page: quizV1.QuizTrigger.PAGE,
};

const keyOf = <K extends string, V>(table: Record<K, V>, value: V): K | undefined =>
  (Object.keys(table) as K[]).find((key) => table[key] === value);

/** UNSPECIFIED (and anything unknown) is undefined: validation names it. */
export const triggerFromProto = (trigger: quizV1.QuizTrigger | undefined): QuizTrigger | undefined =>
  trigger === undefined ? undefined : keyOf(triggers, trigger);

/**
 * Question kinds on the wire: each type is the `kind` case of its name,
 * holding exactly the type's own fields (questions/<type>), so one mapping
 * serves every type. The casts are where a type's fields meet its case;
 * `Question` and the proto are built so that they match.
 */
export const questionFromProto = (question: quizV1.Question): QuestionInput => ({
  id: question.id || undefined,
  prompt: question.prompt,
  // The gateway applies the REST default; 0 on the wire is refused, not defaulted.
  points: question.points,
  ...(question.kind ? { type: question.kind.$case, ...question.kind.value } : {}),
});

const questionMessage = (question: Question): quizV1.Question => ({
  id: question.id,
  prompt: question.prompt,
  points: question.points,
  kind: { $case: question.type, value: structuredClone(fieldsOf(question)) } as quizV1.Question['kind'],
});

function questionViewMessage(question: QuestionView): quizV1.QuestionView {
  const { id, type, prompt, points, ...fields } = question;
  return { id, prompt, points, kind: { $case: type, value: structuredClone(fields) } as quizV1.QuestionView['kind'] };
}

/** No response: the question is left unanswered. */
export const answerFromProto = (answer: quizV1.AttemptAnswer): AttemptAnswer => ({
  questionId: answer.questionId,
  ...(answer.response?.$case === 'selection' ? { selected: answer.response.value.selected } : {}),
  ...(answer.response?.$case === 'value' ? { value: answer.response.value } : {}),
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
    questions: quiz.questions.map(questionMessage),
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
    questions: view.questions.map(questionViewMessage),
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

export function quizResultMessage(quiz: QuizView, result: QuizResult): quizV1.QuizResult {
  return {
    quizId: quiz.id,
    trigger: triggers[quiz.trigger],
    unitId: quiz.unitId,
    ...(quiz.pageOrder === undefined ? {} : { pageOrder: quiz.pageOrder }),
    title: quiz.title,
    maxScore: quiz.maxScore,
    attempts: result.attempts,
    ...(result.bestScore === undefined ? {} : { bestScore: result.bestScore }),
    passed: result.passed,
    gemsAwarded: result.gemsAwarded,
  };
}
