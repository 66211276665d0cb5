import type { FieldIssue } from '@testmancer/shared';

/** An answer to one question, as a student sends it: option indexes for option questions, a value for number questions. */
export interface AttemptAnswer {
  readonly questionId: string;
  /** Option indexes, as the student chose them. */
  readonly selected?: readonly number[];
  readonly value?: number;
}

/**
 * What a question type decides, and nothing else does: its own fields
 * (`F`, beside the id, prompt and points every question has), which of them
 * students see (`V`), and when an answer is right.
 */
export interface QuestionKind<F extends object, V extends object> {
  /** The type's fields as authors send them, checked (issues under `path`) and normalised. */
  validate(fields: F, path: string, issues: FieldIssue[]): F;
  /** Whether `answer` is right; a malformed one adds issues under `path` (the answer's). */
  isCorrect(fields: F, answer: AttemptAnswer, path: string, issues: FieldIssue[]): boolean;
  /** What students see of the fields: never the answer. */
  view(fields: F): V;
}
