/**
 * Quizzes, attempts and gems: REST bodies ↔ gRPC messages, and the schemas that document them.
 *
 * Students' bodies are built field by field from the student messages (QuizView, QuestionView),
 * which have no field that could carry an answer; the author view adds `answer` and `orphaned`.
 */
import { quiz as contract } from '@testmancer/contracts';
import { gemsV1, quizV1 } from '@testmancer/proto';
import { z } from 'zod';
import { objectId } from '../http/schemas';
import { INT32_MAX, required } from './common';

const { QuizTrigger, GemsStatus } = quizV1;
const { LIMITS } = contract;

export const QUESTION_TYPES = contract.QUESTION_TYPE_NAMES as [contract.QuestionType, ...contract.QuestionType[]];
export const TRIGGERS = contract.QUIZ_TRIGGERS;
export type TriggerName = contract.QuizTrigger;

export const triggerToProto: Record<TriggerName, quizV1.QuizTrigger> = { unit: QuizTrigger.UNIT, page: QuizTrigger.PAGE };
const GEMS_STATUSES = ['granted', 'pending', 'none'] as const;
const gemsStatusNames = new Map<quizV1.GemsStatus, (typeof GEMS_STATUSES)[number]>([
  [GemsStatus.NONE, 'none'],
  [GemsStatus.GRANTED, 'granted'],
  [GemsStatus.PENDING, 'pending'],
]);

const inverse = <K extends string, V>(table: Record<K, V>) =>
  new Map(Object.entries(table).map(([name, proto]) => [proto as V, name as K]));
const triggerNames = inverse(triggerToProto);

// ---- request schemas: shapes and wire ranges only; the quiz service owns the rules (index ranges, counts, lengths, triggers) ----

/** Within the wire's int32: larger numbers would not survive the gRPC call. */
const count = z.number().int().min(0).max(INT32_MAX);
export const pageOrder = z.number().int().min(1).max(INT32_MAX).openapi({ description: '1-based order of a page in its unit' });
export const gemReward = count.openapi({ description: 'Gems for a first attempt at full score' });
export const trigger = z.enum(TRIGGERS);

const questionFields = {
  id: objectId().optional().openapi({ description: 'Keep a question id on update; new questions get one' }),
  prompt: z.string(),
  points: count.optional().openapi({ description: `Defaults to ${String(LIMITS.points.default)}` }),
};
const optionIndex = count.openapi({ description: '0-based option index' });
const options = z.array(z.string());
const numberValue = z.number().openapi({ description: `A number, at most ${String(LIMITS.number.maxMagnitude)} in magnitude` });

/**
 * The REST shape of each question type of the contract (@testmancer/contracts quiz.QUESTION_TYPES):
 * `answer` is an option index for `single` and `trueFalse`, a list of them for `multiple`, a number
 * for `number` (right within `tolerance`).
 */
const questionShapes = {
  single: z.strictObject({ ...questionFields, type: z.literal('single'), options, answer: optionIndex }),
  multiple: z.strictObject({ ...questionFields, type: z.literal('multiple'), options, answer: z.array(optionIndex) }),
  trueFalse: z.strictObject({ ...questionFields, type: z.literal('trueFalse'), options, answer: optionIndex }),
  number: z
    .strictObject({
      ...questionFields,
      type: z.literal('number'),
      answer: numberValue,
      tolerance: z
        .number()
        .min(0)
        .optional()
        .openapi({
          description: `A student's number within this distance of \`answer\` is right; defaults to ${String(LIMITS.number.tolerance.default)} (exactly)`,
        }),
    })
    .openapi({ description: 'A number question: students answer `{ questionId, value }`; they see no options (`options: []`)' }),
} satisfies Record<contract.QuestionType, z.ZodType>;

export const questionInput = z
  .discriminatedUnion('type', [questionShapes.single, questionShapes.multiple, questionShapes.trueFalse, questionShapes.number])
  .openapi('QuestionInput');
export type QuestionInput = z.infer<typeof questionInput>;
export const questionsInput = z.array(questionInput);

function kindToProto(question: QuestionInput): quizV1.Question['kind'] {
  switch (question.type) {
    case 'single':
    case 'trueFalse':
      return { $case: question.type, value: { options: question.options, answer: [question.answer] } };
    case 'multiple':
      return { $case: 'multiple', value: { options: question.options, answer: question.answer } };
    case 'number':
      return { $case: 'number', value: { answer: question.answer, tolerance: question.tolerance ?? LIMITS.number.tolerance.default } };
  }
}

export const questionToProto = (question: QuestionInput): quizV1.Question => ({
  id: question.id ?? '',
  prompt: question.prompt,
  points: question.points ?? LIMITS.points.default,
  kind: kindToProto(question),
});

/** An attempt's answer: one option index or a list of them (option questions), or a `value` (number questions). */
export const attemptAnswer = z
  .strictObject({
    questionId: objectId(),
    selected: z
      .union([optionIndex, z.array(optionIndex)])
      .optional()
      .openapi({ description: 'Option questions' }),
    value: numberValue.optional().openapi({ description: 'Number questions' }),
  })
  .superRefine((answer, context) => {
    if ((answer.selected === undefined) === (answer.value === undefined)) {
      context.addIssue({ code: 'custom', path: ['selected'], message: 'send selected (option questions) or value (number questions)' });
    }
  });
export const attemptAnswers = z.array(attemptAnswer).max(LIMITS.attemptAnswers);

export function answerToProto(answer: z.infer<typeof attemptAnswer>): quizV1.AttemptAnswer {
  const { questionId, selected, value } = answer;
  if (value !== undefined) return { questionId, response: { $case: 'value', value } };
  return {
    questionId,
    response: { $case: 'selection', value: { selected: typeof selected === 'number' ? [selected] : (selected ?? []) } },
  };
}
export const timeTakenMs = count.optional().openapi({ description: 'How long the student took, in milliseconds' });

// ---- response schemas (OpenAPI) ----

const questionViewSchema = z
  .object({ id: z.string(), type: z.enum(QUESTION_TYPES), prompt: z.string(), options: z.array(z.string()), points: z.number().int() })
  .openapi('QuestionView', { description: 'A question as students see it: never an answer (`options` is empty for a number question)' });
const quizViewFields = {
  id: z.string(),
  courseId: z.string(),
  trigger: z.enum(TRIGGERS),
  moduleId: z.string().openapi({ description: 'The unit (module) the quiz belongs to; not renamed by USE_MODULES_TERMINOLOGY' }),
  pageOrder: z.number().int().optional().openapi({ description: 'Page quizzes: the current order of the page they follow' }),
  title: z.string(),
  gemReward: z.number().int(),
  maxScore: z.number().int(),
  version: z.number().int(),
};
export const quizViewSchema = z
  .object({ ...quizViewFields, questions: z.array(questionViewSchema) })
  .openapi('QuizView', { description: 'The student view' });
export const authorQuizSchema = z
  .object({
    ...quizViewFields,
    questions: z.array(
      questionViewSchema.extend({
        answer: z.union([z.number(), z.array(z.number().int())]),
        tolerance: z.number().optional().openapi({ description: 'Number questions only' }),
      }),
    ),
    orphaned: z.boolean().openapi({ description: 'Its unit or page no longer exists; students do not see it' }),
  })
  .openapi('Quiz', { description: 'The author view, with answers' });

export const attemptSchema = z
  .object({
    id: z.string(),
    quizId: z.string(),
    attemptNumber: z.number().int(),
    score: z.number().int(),
    maxScore: z.number().int(),
    passed: z.boolean(),
    firstAttempt: z.boolean(),
    gemsAwarded: z.number().int(),
    gemsStatus: z.enum(GEMS_STATUSES).openapi({
      description: '`granted`: in the balance; `pending`: recorded and on its way (delivered once, shortly); `none`: nothing owed',
    }),
    message: z.string().optional().openapi({ description: 'Present while gems are pending' }),
    timeTakenMs: z.number().int(),
    createdAt: z.string().nullable(),
  })
  .openapi('Attempt');

export const balanceSchema = z
  .object({
    userId: z.string(),
    earnedGems: z.number().int(),
    history: z.array(
      z.object({ id: z.string(), amount: z.number().int(), source: z.string(), reason: z.string(), grantedAt: z.string().nullable() }),
    ),
  })
  .openapi('GemBalance', { description: '`history` newest first' });

// ---- presenters ----

const questionView = ({ id, prompt, points, kind }: quizV1.QuestionView) => {
  const { $case: type, value } = required(kind);
  return { id, type, prompt, options: 'options' in value ? value.options : [], points };
};

/** What the author view adds to a question: its answer, as the REST shape of its type has it. */
function answerFields(kind: quizV1.Question['kind']) {
  const known = required(kind);
  switch (known.$case) {
    case 'single':
    case 'trueFalse':
      return { answer: required(known.value.answer[0]) };
    case 'multiple':
      return { answer: known.value.answer };
    case 'number':
      return { answer: known.value.answer, tolerance: known.value.tolerance };
  }
}

export const triggerName = (quiz: Pick<quizV1.QuizView, 'trigger'>): TriggerName => required(triggerNames.get(quiz.trigger));

/** The student view. Also given a full Quiz it copies only student fields, so nothing else can ride along. */
export function presentQuizView(quiz: quizV1.QuizView) {
  return {
    id: quiz.id,
    courseId: quiz.courseId,
    trigger: triggerName(quiz),
    moduleId: quiz.unitId,
    ...(quiz.pageOrder === undefined ? {} : { pageOrder: quiz.pageOrder }),
    title: quiz.title,
    questions: quiz.questions.map(questionView),
    gemReward: quiz.gemReward,
    maxScore: quiz.maxScore,
    version: quiz.version,
  };
}

export function presentAuthorQuiz(quiz: quizV1.Quiz) {
  return {
    ...presentQuizView(quiz),
    questions: quiz.questions.map((question) => ({ ...questionView(question), ...answerFields(question.kind) })),
    orphaned: quiz.orphaned,
  };
}

/**
 * A page quiz moves when its unit's pages are reordered, and a quiz becomes orphaned when its
 * unit or page goes, without a new version: the ETag also names where it is ("<version>.<pageOrder>",
 * ".0" when orphaned), as the legacy course view does; If-Match compares the version only.
 */
export function quizEtag(quiz: quizV1.QuizView & { orphaned?: boolean }): string {
  if (quiz.orphaned) return `${quiz.version}.0`;
  return quiz.pageOrder === undefined ? String(quiz.version) : `${quiz.version}.${quiz.pageOrder}`;
}

const PENDING_MESSAGE = 'Your attempt is recorded; your gems are on their way and will appear in your balance shortly.';

export function presentAttempt(attempt: quizV1.Attempt) {
  const gemsStatus = required(gemsStatusNames.get(attempt.gemsStatus));
  return {
    id: attempt.id,
    quizId: attempt.quizId,
    attemptNumber: attempt.attemptNumber,
    score: attempt.score,
    maxScore: attempt.maxScore,
    passed: attempt.passed,
    firstAttempt: attempt.firstAttempt,
    gemsAwarded: attempt.gemsAwarded,
    gemsStatus,
    ...(gemsStatus === 'pending' ? { message: PENDING_MESSAGE } : {}),
    timeTakenMs: attempt.timeTakenMs,
    createdAt: attempt.createdAt?.toISOString() ?? null,
  };
}

export function presentBalance(balance: gemsV1.GetBalanceResponse) {
  return {
    userId: balance.userId,
    earnedGems: balance.earnedGems,
    history: balance.history.map(({ id, amount, source, reason, grantedAt }) => ({
      id,
      amount,
      source,
      reason,
      grantedAt: grantedAt?.toISOString() ?? null,
    })),
  };
}
