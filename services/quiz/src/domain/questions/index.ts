/**
 * The question types, one folder each: the registry every rule about a
 * question goes through (validation, scoring, the student view). Its keys
 * are the contract's types (`@testmancer/contracts` quiz.QUESTION_TYPES),
 * checked here; the types below are derived from it.
 */
import type { quiz } from '@testmancer/contracts';
import type { FieldIssue } from '@testmancer/shared';
import type { AttemptAnswer, QuestionKind } from './kind';
import { multiple } from './multiple';
import { number } from './number';
import { single } from './single';
import { trueFalse } from './true-false';

export type { AttemptAnswer } from './kind';

export const QUESTION_KINDS = { single, multiple, trueFalse, number } satisfies { [T in quiz.QuestionType]: QuestionKind<object, object> };

export type QuestionType = keyof typeof QUESTION_KINDS;
type FieldsOf<T extends QuestionType> = (typeof QUESTION_KINDS)[T] extends QuestionKind<infer F, object> ? F : never;
type ViewOf<T extends QuestionType> = (typeof QUESTION_KINDS)[T] extends QuestionKind<object, infer V> ? V : never;

interface QuestionCommon {
  readonly id: string;
  readonly prompt: string;
  readonly points: number;
}

/** A question: what every type has, its `type`, and that type's own fields. */
export type Question = { [T in QuestionType]: QuestionCommon & { readonly type: T } & FieldsOf<T> }[QuestionType];
/** A question as students see it: its type's view fields, no answer. */
export type QuestionView = { [T in QuestionType]: QuestionCommon & { readonly type: T } & ViewOf<T> }[QuestionType];
/** A type's own fields, of whichever type. */
export type QuestionFields = { [T in QuestionType]: FieldsOf<T> }[QuestionType];

export const isQuestionType = (type: string | undefined): type is QuestionType => type !== undefined && Object.hasOwn(QUESTION_KINDS, type);

/**
 * The registry entry of a question's type. The cast is the one place where
 * a type's fields meet its kind: TypeScript cannot correlate the two across
 * the union, and `Question` is built so that they always match.
 */
const kindOf = (type: QuestionType) => QUESTION_KINDS[type] as unknown as QuestionKind<QuestionFields, object>;

/** Splits a question into what every type has and its type's own fields. */
export function fieldsOf(question: Question): QuestionFields {
  const { id: _id, type: _type, prompt: _prompt, points: _points, ...fields } = question;
  return fields;
}

export const validateFields = (type: QuestionType, fields: QuestionFields, path: string, issues: FieldIssue[]): QuestionFields =>
  kindOf(type).validate(fields, path, issues);

export const isCorrect = (question: Question, answer: AttemptAnswer, path: string, issues: FieldIssue[]): boolean =>
  kindOf(question.type).isCorrect(fieldsOf(question), answer, path, issues);

export function questionView(question: Question): QuestionView {
  const { id, type, prompt, points } = question;
  return { id, type, prompt, points, ...kindOf(type).view(fieldsOf(question)) } as QuestionView;
}
