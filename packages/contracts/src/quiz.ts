/**
 * Owned by the quiz service: its question types and limits. The service
 * validates with these values; the gateway draws its REST shapes and wire
 * ranges from them, so the two cannot drift.
 */

/**
 * Question types, each with how it is answered: `option` (one 0-based
 * option index), `options` (any number of them) or `number` (a number,
 * right within the question's tolerance). A new type is one more entry
 * here, its folder in the quiz service's domain/questions, its proto
 * message and its REST shape in the gateway.
 */
export const QUESTION_TYPES = {
  single: { answer: 'option' },
  multiple: { answer: 'options' },
  trueFalse: { answer: 'option' },
  number: { answer: 'number' },
} as const;

export type QuestionType = keyof typeof QUESTION_TYPES;
export const QUESTION_TYPE_NAMES = Object.keys(QUESTION_TYPES) as QuestionType[];

export const QUIZ_TRIGGERS = ['unit', 'page'] as const;
export type QuizTrigger = (typeof QUIZ_TRIGGERS)[number];

export const LIMITS = {
  title: 200,
  prompt: 2_000,
  option: 500,
  questions: { min: 1, max: 100 },
  options: { min: 2, max: 10 },
  points: { min: 1, max: 100, default: 1 },
  gemReward: { min: 0, max: 10_000 },
  /**
   * Number questions: the answer and the tolerance stay within ±1e15, where
   * every whole number is exact in a double (the wire's type).
   */
  number: { maxMagnitude: 1e15, tolerance: { default: 0 } },
  /** Answers in one attempt: a quiz has at most 100 questions, so more is never a valid attempt. */
  attemptAnswers: 1_000,
  /** A submission's retry key (the REST `Idempotency-Key`). */
  requestId: 200,
} as const;
