import type { Schemas } from '../../shared/api/client';

export type QuestionInput = Schemas['QuestionInput'];
export type QuestionType = QuestionInput['type'];

export const QUESTION_TYPES: readonly { value: QuestionType; label: string }[] = [
  { value: 'single', label: 'One right answer' },
  { value: 'multiple', label: 'Several right answers' },
  { value: 'trueFalse', label: 'True or false' },
  { value: 'number', label: 'A number' },
];

/**
 * A question being written. It keeps the fields of every type, so that
 * switching the type back and forth loses nothing; `questionOf` sends only
 * what the chosen type has. Numbers stay text while typed.
 */
export interface DraftQuestion {
  key: string;
  type: QuestionType;
  prompt: string;
  points: string;
  options: string[];
  /** Option indexes marked right (one for single and trueFalse). */
  correct: number[];
  /** trueFalse: whether the statement is true (answer 0 of ["True", "False"]). */
  isTrue: boolean;
  number: string;
  tolerance: string;
}

let counter = 0;

export function emptyQuestion(): DraftQuestion {
  counter += 1;
  return {
    key: `question-${String(counter)}`,
    type: 'single',
    prompt: '',
    points: '1',
    options: ['', ''],
    correct: [0],
    isTrue: true,
    number: '',
    tolerance: '0',
  };
}

const TRUE_FALSE = ['True', 'False'];

/** A question of a quiz as its author view has it, with its answer. */
export type AuthorQuestion = Schemas['Quiz']['questions'][number];

/** A stored question as a draft to edit: the form of the editor, with the question's answer marked. */
export function draftOf(question: AuthorQuestion): DraftQuestion {
  const draft = { ...emptyQuestion(), type: question.type, prompt: question.prompt, points: String(question.points) };
  const answers = Array.isArray(question.answer) ? question.answer : [question.answer];
  switch (question.type) {
    case 'single':
    case 'multiple':
      return { ...draft, options: [...question.options], correct: answers };
    case 'trueFalse':
      return { ...draft, isTrue: answers[0] === 0 };
    case 'number':
      return { ...draft, number: String(answers[0] ?? ''), tolerance: String(question.tolerance ?? 0) };
  }
}

export function questionOf(draft: DraftQuestion): QuestionInput {
  const points = Number(draft.points) || 1;
  switch (draft.type) {
    case 'single':
      return { type: 'single', prompt: draft.prompt, points, options: draft.options, answer: draft.correct[0] ?? 0 };
    case 'multiple':
      return { type: 'multiple', prompt: draft.prompt, points, options: draft.options, answer: [...draft.correct].sort((a, b) => a - b) };
    case 'trueFalse':
      return { type: 'trueFalse', prompt: draft.prompt, points, options: TRUE_FALSE, answer: draft.isTrue ? 0 : 1 };
    case 'number':
      return { type: 'number', prompt: draft.prompt, points, answer: Number(draft.number), tolerance: Number(draft.tolerance) || 0 };
  }
}

/** What must be fixed before sending, in words; the quiz service checks the rest (lengths, counts). */
export function problemsOf(drafts: readonly DraftQuestion[]): string[] {
  if (drafts.length === 0) return ['Add at least one question.'];
  return drafts.flatMap((draft, index) => {
    const where = `Question ${String(index + 1)}`;
    if (!draft.prompt.trim()) return [`${where}: write the question.`];
    if (draft.type === 'single' || draft.type === 'multiple') {
      if (draft.options.some((option) => !option.trim())) return [`${where}: fill in every option, or remove the empty ones.`];
      if (draft.correct.length === 0) return [`${where}: mark the right answer.`];
    }
    if (draft.type === 'number' && (draft.number.trim() === '' || !Number.isFinite(Number(draft.number))))
      return [`${where}: give the right number.`];
    return [];
  });
}
