/**
 * What the option types (single, multiple, trueFalse) share: 2..10 options
 * (trimmed, 1..500 characters), an answer of option indexes in range, and a
 * selection of distinct option indexes as the student's answer, right when
 * it is exactly the answer's set.
 */
import { quiz } from '@testmancer/contracts';
import type { FieldIssue } from '@testmancer/shared';
import type { AttemptAnswer, QuestionKind } from './kind';

const { LIMITS } = quiz;

export interface ChoiceFields {
  readonly options: readonly string[];
  /** Indexes of the correct options, ascending. */
  readonly answer: readonly number[];
}

export interface ChoiceView {
  readonly options: readonly string[];
}

interface ChoiceRules {
  /** How many options the type takes. */
  readonly options: { readonly min: number; readonly max: number };
  /** True: one or more correct options, any number chosen; false: exactly one of each. */
  readonly manyAnswers: boolean;
}

const isIndex = (n: number, count: number) => Number.isInteger(n) && n >= 0 && n < count;

function checkIndexes(indexes: readonly number[], count: number, path: string, issues: FieldIssue[], notAnIndex: string): void {
  indexes.forEach((index, j) => {
    if (!isIndex(index, count)) issues.push({ path: `${path}/${String(j)}`, message: notAnIndex });
    else if (indexes.indexOf(index) !== j) issues.push({ path: `${path}/${String(j)}`, message: 'repeats an option' });
  });
}

export function choiceKind(rules: ChoiceRules): QuestionKind<ChoiceFields, ChoiceView> {
  const { min, max } = rules.options;
  return {
    validate(fields, path, issues) {
      if (!Number.isInteger(fields.options.length) || fields.options.length < min || fields.options.length > max) {
        issues.push({
          path: `${path}/options`,
          message: min === max ? `must have exactly ${String(min)} options` : `must have ${String(min)} to ${String(max)} options`,
        });
      }
      const options = fields.options.map((option, j) => {
        const trimmed = option.trim();
        if (trimmed.length === 0 || trimmed.length > LIMITS.option) {
          issues.push({ path: `${path}/options/${String(j)}`, message: `must be 1 to ${String(LIMITS.option)} characters` });
        }
        return trimmed;
      });
      checkIndexes(fields.answer, options.length, `${path}/answer`, issues, 'is not the index of an option');
      if (rules.manyAnswers ? fields.answer.length === 0 : fields.answer.length !== 1) {
        issues.push({
          path: `${path}/answer`,
          message: rules.manyAnswers ? 'must name at least one option' : 'must name exactly one option',
        });
      }
      return { options, answer: [...fields.answer].sort((a, b) => a - b) };
    },

    isCorrect(fields, answer: AttemptAnswer, path, issues) {
      if (answer.value !== undefined)
        issues.push({ path: `${path}/value`, message: 'an option question is answered with selected option indexes' });
      const selected = answer.selected ?? [];
      checkIndexes(selected, fields.options.length, `${path}/selected`, issues, 'is not the index of an option of the question');
      if (!rules.manyAnswers && selected.length > 1) issues.push({ path: `${path}/selected`, message: 'must name at most one option' });
      return selected.length === fields.answer.length && fields.answer.every((index) => selected.includes(index));
    },

    view: (fields) => ({ options: [...fields.options] }),
  };
}
