import type { Schemas } from '../../shared/api/client';

export type Question = Schemas['QuestionView'];
/** A choice: an option index (single, trueFalse), a list of them (multiple), or the typed number (number). */
export type Answer = number | number[] | string;
export type Answers = Record<string, Answer | undefined>;
type AttemptAnswer = { questionId: string; selected?: number | number[]; value?: number };

/** The attempt's answers; a question left unanswered is left out (it scores 0). */
export function attemptAnswers(questions: readonly Question[], answers: Answers): AttemptAnswer[] {
  return questions.flatMap((question): AttemptAnswer[] => {
    const answer = answers[question.id];
    if (answer === undefined) return [];
    if (question.type === 'number') {
      const value = typeof answer === 'string' ? Number(answer) : Number.NaN;
      return answer === '' || Number.isNaN(value) ? [] : [{ questionId: question.id, value }];
    }
    if (question.type === 'multiple')
      return Array.isArray(answer) ? [{ questionId: question.id, selected: [...answer].sort((a, b) => a - b) }] : [];
    return typeof answer === 'number' ? [{ questionId: question.id, selected: answer }] : [];
  });
}

export const unanswered = (questions: readonly Question[], answers: Answers) =>
  questions.length - new Set(attemptAnswers(questions, answers).map((answer) => answer.questionId)).size;
