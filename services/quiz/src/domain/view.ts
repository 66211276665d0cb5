/**
 * What students see of a quiz. Built field by field, never by copying the
 * author's object, so an answer cannot ride along; the proto's QuizView and
 * QuestionView have no field that could carry one either.
 */
import { maxScoreOf } from './quiz';
import { questionView, type QuestionView } from './questions';
import type { QuizLocation, QuizState, QuizTrigger } from './types';

export interface QuizView {
  readonly id: string;
  readonly courseId: string;
  readonly trigger: QuizTrigger;
  readonly unitId: string;
  readonly pageOrder?: number;
  readonly title: string;
  readonly questions: readonly QuestionView[];
  readonly gemReward: number;
  readonly version: number;
  readonly maxScore: number;
}

/** The student view of a quiz that is not orphaned (the caller answers not found for orphans). */
export function studentView(quiz: QuizState, location: QuizLocation): QuizView {
  return {
    id: quiz.id,
    courseId: quiz.courseId,
    trigger: quiz.trigger,
    unitId: quiz.unitId,
    ...(location.pageOrder === undefined ? {} : { pageOrder: location.pageOrder }),
    title: quiz.title,
    questions: quiz.questions.map(questionView),
    gemReward: quiz.gemReward,
    version: quiz.version,
    maxScore: maxScoreOf(quiz.questions),
  };
}
