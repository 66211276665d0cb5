/**
 * A number question: the student answers a number, right when it is within
 * `tolerance` of `answer` (0: exactly). Both are finite and at most 1e15 in
 * magnitude (every whole number is exact there); the tolerance is 0 or more.
 */
import { quiz } from '@testmancer/contracts';
import type { FieldIssue } from '@testmancer/shared';
import type { QuestionKind } from '../kind';

const { maxMagnitude } = quiz.LIMITS.number;

export interface NumberFields {
  readonly answer: number;
  readonly tolerance: number;
}

const inRange = (n: number) => Number.isFinite(n) && Math.abs(n) <= maxMagnitude;

function checkNumber(n: number, path: string, issues: FieldIssue[], min = -maxMagnitude): void {
  if (!inRange(n) || n < min) issues.push({ path, message: `must be a number from ${String(min)} to ${String(maxMagnitude)}` });
}

export const number: QuestionKind<NumberFields, Record<string, never>> = {
  validate(fields, path, issues) {
    checkNumber(fields.answer, `${path}/answer`, issues);
    checkNumber(fields.tolerance, `${path}/tolerance`, issues, 0);
    return { answer: fields.answer, tolerance: fields.tolerance };
  },

  isCorrect(fields, answer, path, issues) {
    if (answer.selected !== undefined) issues.push({ path: `${path}/selected`, message: 'a number question is answered with a value' });
    if (answer.value === undefined) return false;
    if (!inRange(answer.value)) {
      issues.push({ path: `${path}/value`, message: `must be a number from ${String(-maxMagnitude)} to ${String(maxMagnitude)}` });
      return false;
    }
    return Math.abs(answer.value - fields.answer) <= fields.tolerance;
  },

  view: () => ({}),
};
