/**
 * Quizzes as values: validation, creation, changes, and where a quiz is shown.
 *
 * Rules:
 * - title 1..200 characters (trimmed); 1..100 questions; gemReward a whole
 *   number 0..10,000.
 * - A question: a type of the registry (questions/), whose folder checks
 *   the type's own fields; a prompt (trimmed, 1..2,000 characters); points a
 *   whole number 1..100, default 1.
 * - Questions keep the id they come with (a 24-hex id, unique in the quiz);
 *   one without gets a new one.
 * - A unit quiz names a unit of its course; a page quiz a unit and an
 *   existing page of it (by order), and stores that page's id, so reordering
 *   pages never moves it to another page.
 * - Issue paths are the REST body's (`moduleId`, `questions/2/answer/0`).
 * - A change that changes nothing returns the input itself (same version).
 */
import { isDeepStrictEqual } from 'node:util';
import { conflict, invalid, isObjectIdText, NOT_AN_ID, stale, type FieldIssue } from '@testmancer/shared';
import { quiz as contract } from '@testmancer/contracts';
import { isQuestionType, QUESTION_KINDS, validateFields, type Question, type QuestionFields, type QuestionType } from './questions';
import { QUIZ_TRIGGERS, type CourseOutline, type QuizLocation, type QuizState, type QuizTrigger } from './types';

export const LIMITS = contract.LIMITS;

/**
 * A question as authors send it: what every type has, and the fields of the
 * type it names (`type` is unchecked until validated).
 */
export type QuestionInput = {
  id?: string;
  prompt: string;
  points?: number;
} & (({ type?: QuestionType | undefined } & QuestionFields) | { type?: string });

export interface QuizContentInput {
  title: string;
  questions: readonly QuestionInput[];
  gemReward: number;
}

export interface PlacementInput {
  trigger?: QuizTrigger;
  unitId: string;
  pageOrder?: number;
}

interface Placement {
  trigger: QuizTrigger;
  unitId: string;
  pageId?: string;
}

const isWhole = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;
const range = (limits: { min: number; max: number }) => `${String(limits.min)} to ${String(limits.max)}`;

function checkTitle(title: string, issues: FieldIssue[]): string {
  const trimmed = title.trim();
  if (trimmed.length === 0) issues.push({ path: 'title', message: 'must not be empty' });
  else if (trimmed.length > LIMITS.title) issues.push({ path: 'title', message: `must be at most ${String(LIMITS.title)} characters` });
  return trimmed;
}

function checkGemReward(gemReward: number, issues: FieldIssue[]): number {
  if (!isWhole(gemReward, LIMITS.gemReward.min, LIMITS.gemReward.max)) {
    issues.push({ path: 'gemReward', message: `must be a whole number from ${range(LIMITS.gemReward)}` });
  }
  return gemReward;
}

function checkQuestion(input: QuestionInput, path: string, issues: FieldIssue[], newId: () => string): Question | undefined {
  const { id, type, prompt: rawPrompt, points: rawPoints, ...fields } = input;
  if (!isQuestionType(type)) issues.push({ path: `${path}/type`, message: `must be one of: ${Object.keys(QUESTION_KINDS).join(', ')}` });
  const prompt = rawPrompt.trim();
  if (prompt.length === 0 || prompt.length > LIMITS.prompt) {
    issues.push({ path: `${path}/prompt`, message: `must be 1 to ${String(LIMITS.prompt)} characters` });
  }
  const points = rawPoints ?? LIMITS.points.default;
  if (!isWhole(points, LIMITS.points.min, LIMITS.points.max)) {
    issues.push({ path: `${path}/points`, message: `must be a whole number from ${range(LIMITS.points)}` });
  }
  if (id && !isObjectIdText(id)) issues.push({ path: `${path}/id`, message: NOT_AN_ID });
  if (!isQuestionType(type)) return undefined;
  const checked = validateFields(type, fields as QuestionFields, path, issues);
  return { id: id ? id.toLowerCase() : newId(), type, prompt, points, ...checked } as Question;
}

function checkQuestions(inputs: readonly QuestionInput[], issues: FieldIssue[], newId: () => string): Question[] {
  if (!isWhole(inputs.length, LIMITS.questions.min, LIMITS.questions.max)) {
    issues.push({ path: 'questions', message: `must have ${range(LIMITS.questions)} questions` });
  }
  const checked = inputs.map((input, i) => checkQuestion(input, `questions/${String(i)}`, issues, newId));
  checked.forEach((question, i) => {
    const first = checked.findIndex((q) => q !== undefined && q.id === question?.id);
    if (question && first !== i)
      issues.push({ path: `questions/${String(i)}/id`, message: `repeats the id of questions/${String(first)}` });
  });
  // A question of no known type made an issue: the quiz is refused whole.
  return checked.filter((question): question is Question => question !== undefined);
}

function checkPlacement(course: CourseOutline, input: PlacementInput, issues: FieldIssue[]): Placement | undefined {
  const { trigger } = input;
  if (!trigger || !QUIZ_TRIGGERS.includes(trigger)) {
    issues.push({ path: 'trigger', message: `must be one of: ${QUIZ_TRIGGERS.join(', ')}` });
    return undefined;
  }
  if (!input.unitId) {
    issues.push({ path: 'moduleId', message: 'is required' });
    return undefined;
  }
  const unit = course.units.find((u) => u.id === input.unitId.toLowerCase());
  if (!unit) {
    issues.push({ path: 'moduleId', message: 'is not a unit of the course' });
    return undefined;
  }
  if (trigger === 'unit') {
    if (input.pageOrder !== undefined) issues.push({ path: 'pageOrder', message: 'is only for page quizzes' });
    return { trigger, unitId: unit.id };
  }
  if (input.pageOrder === undefined) {
    issues.push({ path: 'pageOrder', message: 'is required for a page quiz' });
    return undefined;
  }
  const pageId = Number.isInteger(input.pageOrder) ? unit.pageIds[input.pageOrder - 1] : undefined;
  if (!pageId) {
    issues.push({ path: 'pageOrder', message: `must be the order of a page of the unit (it has ${String(unit.pageIds.length)})` });
    return undefined;
  }
  return { trigger, unitId: unit.id, pageId };
}

function throwIfAny(issues: FieldIssue[]): void {
  if (issues.length > 0) throw invalid('invalid quiz', issues);
}

/** Archived courses are final (as in the content service): their quizzes no longer change. */
export function assertCourseEditable(course: CourseOutline): void {
  if (course.status === 'archived') throw conflict('the course is archived and its quizzes can no longer be changed');
}

export interface NewQuiz extends QuizContentInput, PlacementInput {
  id: string;
  createdBy: string;
  now: Date;
}

export function createQuiz(course: CourseOutline, input: NewQuiz, newId: () => string): QuizState {
  assertCourseEditable(course);
  const issues: FieldIssue[] = [];
  const title = checkTitle(input.title, issues);
  const questions = checkQuestions(input.questions, issues, newId);
  const gemReward = checkGemReward(input.gemReward, issues);
  const placement = checkPlacement(course, input, issues);
  throwIfAny(issues);
  return {
    id: input.id,
    courseId: course.id,
    // checkPlacement reports an issue whenever it returns nothing.
    ...placement!,
    title,
    questions,
    gemReward,
    markedOrphaned: false,
    version: 1,
    createdBy: input.createdBy,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

/** Unset fields are left as they are; any of trigger, unitId, pageOrder moves the quiz. */
export interface QuizPatch {
  title?: string;
  questions?: readonly QuestionInput[];
  gemReward?: number;
  trigger?: QuizTrigger;
  unitId?: string;
  pageOrder?: number;
}

export function checkQuizVersion(quiz: QuizState, expectedVersion?: number): void {
  if (expectedVersion !== undefined && expectedVersion !== quiz.version) throw stale('quiz', quiz.version);
}

export function updateQuiz(quiz: QuizState, course: CourseOutline, patch: QuizPatch, newId: () => string, now: Date): QuizState {
  assertCourseEditable(course);
  const issues: FieldIssue[] = [];
  const title = patch.title === undefined ? quiz.title : checkTitle(patch.title, issues);
  const questions = patch.questions === undefined ? quiz.questions : checkQuestions(patch.questions, issues, newId);
  const gemReward = patch.gemReward === undefined ? quiz.gemReward : checkGemReward(patch.gemReward, issues);
  const moves = patch.trigger !== undefined || patch.unitId !== undefined || patch.pageOrder !== undefined;
  const placement = moves ? checkPlacement(course, movedPlacement(quiz, course, patch), issues) : undefined;
  throwIfAny(issues);

  const updated: QuizState = { ...(placement ? moved(quiz, placement) : quiz), title, questions, gemReward };
  if (isDeepStrictEqual(updated, quiz)) return quiz;
  return { ...updated, version: quiz.version + 1, updatedAt: now };
}

/** The quiz at a new, valid placement: the old page goes, and so does an orphan mark. */
function moved(quiz: QuizState, placement: Placement): QuizState {
  const { pageId: _oldPageId, legacyPageOrder: _oldPageOrder, ...rest } = quiz;
  return { ...rest, ...placement, markedOrphaned: false };
}

/** The placement a move asks for: what the patch sets, the rest as the quiz is now. */
function movedPlacement(quiz: QuizState, course: CourseOutline, patch: QuizPatch): PlacementInput {
  const trigger = patch.trigger ?? quiz.trigger;
  const unitId = patch.unitId ?? quiz.unitId;
  const stayOnPage = trigger === 'page' && unitId === quiz.unitId;
  const pageOrder = patch.pageOrder ?? (stayOnPage ? locate(quiz, course).pageOrder : undefined);
  return { trigger, unitId, ...(pageOrder === undefined ? {} : { pageOrder }) };
}

/** Where the quiz is shown now; `course` undefined: the course does not exist. */
export function locate(quiz: QuizState, course: CourseOutline | undefined): QuizLocation {
  const unit = course?.units.find((u) => u.id === quiz.unitId);
  if (!unit || quiz.markedOrphaned) return { orphaned: true };
  if (quiz.trigger === 'unit') return { orphaned: false };
  const pageOrder = quiz.pageId ? unit.pageIds.indexOf(quiz.pageId) + 1 : (quiz.legacyPageOrder ?? 0);
  return pageOrder >= 1 && pageOrder <= unit.pageIds.length ? { orphaned: false, pageOrder } : { orphaned: true };
}

export const maxScoreOf = (questions: readonly Question[]): number => questions.reduce((sum, q) => sum + q.points, 0);
