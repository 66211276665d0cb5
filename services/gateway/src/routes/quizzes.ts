import { quiz as contract } from '@testmancer/contracts';
import { quizV1 } from '@testmancer/proto';
import { type Caller } from '@testmancer/shared';
import { z } from 'zod';
import type { Clients } from '../clients';
import type { Flags } from '../flags';
import { HttpProblem } from '../http/problem';
import { defineRoute, type Reply } from '../http/route';
import { listOf, objectId, pageQuery } from '../http/schemas';
import { AUTHORS, deletedReply, deleteResponses, listReply, pageParams, required, resourceReply, titleOf } from './common';
import {
  answerToProto,
  attemptAnswers,
  attemptSchema,
  authorQuizSchema,
  gemReward,
  pageOrder,
  presentAttempt,
  presentAuthorQuiz,
  presentQuizView,
  questionsInput,
  questionToProto,
  quizEtag,
  quizViewSchema,
  timeTakenMs,
  trigger,
  triggerName,
  triggerToProto,
  type TriggerName,
} from './quiz-present';

const title = titleOf(contract.LIMITS.title);

const TAGS = ['quizzes'];

const quizParams = z.strictObject({ quizId: objectId() });
const unitQuizParams = z.strictObject({ unitId: objectId() });
const pageQuizParams = unitQuizParams.extend({ pageOrder: pageParams.shape.pageOrder });

/** Page quizzes exist for a caller only where both the structured view and page quizzes are on. */
export const pageQuizzesOn = (flags: Flags) => flags.STRUCTURED_COURSES_ENABLED && flags.PAGE_QUIZZES_ENABLED;

const PAGE_QUIZ_FLAGS =
  'Where PAGE_QUIZZES_ENABLED or STRUCTURED_COURSES_ENABLED is off for the caller, page quizzes do not exist for them: ' +
  'not listed (the page list answers 404), not served by id to non-authors (404), not open to attempts (404), and creating or ' +
  'moving a quiz to `trigger: "page"` is a 400 naming `body/trigger`. Authors still read, change and delete existing page quizzes ' +
  'in the author view. Unit quizzes are unaffected.';
const ETAG_NOTE = 'ETag: `"<version>"`, for a page quiz `"<version>.<pageOrder>"` (`.0` when orphaned); If-Match compares the version.';

const notFound = { description: 'No such quiz, or not visible to the caller' };

const createBody = z.strictObject({
  courseId: objectId(),
  trigger,
  moduleId: objectId().openapi({ description: 'The unit (module) the quiz belongs to; required for both triggers' }),
  pageOrder: pageOrder.optional().openapi({ description: 'Required for page quizzes: an existing page of the unit' }),
  title,
  questions: questionsInput,
  gemReward,
});
const patchBody = z
  .strictObject({
    title: title.optional(),
    questions: questionsInput.optional().openapi({ description: 'Replaces all questions; questions sent with their id keep it' }),
    gemReward: gemReward.optional(),
    trigger: trigger.optional(),
    moduleId: objectId().optional(),
    pageOrder: pageOrder.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'send at least one field to change');

const { requestId: REQUEST_ID_MAX } = contract.LIMITS;
const IDEMPOTENCY_KEY = new RegExp(`^[\\x21-\\x7e]{1,${String(REQUEST_ID_MAX)}}$`);
const IDEMPOTENCY_KEY_RULE = `must be 1 to ${String(REQUEST_ID_MAX)} visible ASCII characters`;

/** `Idempotency-Key`: a retried submission with the same key answers the attempt the first one recorded. */
function idempotencyKey(header: string | undefined): string {
  if (header === undefined) return '';
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new HttpProblem(400, `Idempotency-Key ${IDEMPOTENCY_KEY_RULE}`, [
      { path: 'headers/idempotency-key', message: IDEMPOTENCY_KEY_RULE },
    ]);
  }
  return header;
}

export function quizRoutes(clients: Clients) {
  const quiz = clients.quiz;

  /** A page trigger in a write is refused where page quizzes do not exist for the caller. */
  function assertTriggerAvailable(requested: TriggerName | undefined, flags: Flags): void {
    if (requested === 'page' && !pageQuizzesOn(flags)) {
      throw new HttpProblem(400, 'page quizzes are not enabled', [
        { path: 'body/trigger', message: 'page quizzes are not enabled; use "unit"' },
      ]);
    }
  }

  /** A student view as offered to the caller: 404 when it is a page quiz and page quizzes are off for them. */
  function offered(view: quizV1.QuizView, flags: Flags): quizV1.QuizView {
    if (triggerName(view) === 'page' && !pageQuizzesOn(flags)) throw new HttpProblem(404, 'quiz not found');
    return view;
  }

  async function offeredView(caller: Caller, quizId: string, flags: Flags): Promise<quizV1.QuizView> {
    return offered(required((await quiz.getQuizView({ id: quizId }, { caller })).quiz), flags);
  }

  /** The quiz service decides which view the caller gets; a page quiz's student view is 404 where page quizzes are off for them. */
  async function quizReply(caller: Caller, quizId: string, flags: Flags): Promise<Reply> {
    const found = required((await quiz.getQuizForCaller({ id: quizId }, { caller })).view);
    if (found.$case === 'authorView') return resourceReply(200, presentAuthorQuiz(found.value), quizEtag(found.value));
    const view = offered(found.value, flags);
    return resourceReply(200, presentQuizView(view), quizEtag(view));
  }

  async function listViews(caller: Caller, request: Omit<quizV1.ListQuizViewsRequest, 'caller' | 'courseId'>): Promise<Reply> {
    const page = await quiz.listQuizViews({ courseId: '', ...request }, { caller });
    return listReply({ items: page.items.map(presentQuizView), nextCursor: page.nextCursor || null });
  }

  // Express matches in order: the two-segment list paths come before `/:quizId/attempts`.
  return [
    defineRoute({
      method: 'get',
      path: '/api/quizzes/unit/:unitId',
      summary: "A unit's quizzes (those shown after the unit), student view",
      description:
        'Unit-triggered quizzes only, oldest first; page quizzes are listed by page. Students and anonymous callers see quizzes of ' +
        'published courses only (404 for a course they may not see). Works in the legacy view too.',
      tags: TAGS,
      access: 'public',
      params: unitQuizParams,
      query: z.strictObject(pageQuery),
      responses: {
        200: { description: 'A page of quizzes', schema: listOf(quizViewSchema, 'QuizViewList') },
        404: { description: 'The course is not visible to the caller' },
      },
      async handle({ params, query, caller }) {
        return listViews(caller, {
          unitId: params.unitId,
          trigger: triggerToProto.unit,
          limit: query.limit ?? 0,
          cursor: query.cursor ?? '',
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/quizzes/page/:unitId/:pageOrder',
      summary: "A page's quizzes (shown right after the page), student view",
      description: `Oldest first. ${PAGE_QUIZ_FLAGS}`,
      tags: TAGS,
      access: 'public',
      availableWhen: pageQuizzesOn,
      params: pageQuizParams,
      query: z.strictObject(pageQuery),
      responses: {
        200: { description: 'A page of quizzes', schema: listOf(quizViewSchema, 'PageQuizViewList') },
        404: { description: 'The course is not visible to the caller, or page quizzes are off for the caller' },
      },
      async handle({ params, query, caller }) {
        return listViews(caller, {
          unitId: params.unitId,
          pageOrder: params.pageOrder,
          trigger: triggerToProto.page,
          limit: query.limit ?? 0,
          cursor: query.cursor ?? '',
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/quizzes',
      summary: 'Create a quiz after a unit or a page',
      description:
        '`moduleId` must be a unit of the course; a page quiz also needs `pageOrder`, an existing page of that unit (400 naming the ' +
        `field otherwise). The body is the author view, with answers. ${PAGE_QUIZ_FLAGS} ${ETAG_NOTE}`,
      tags: TAGS,
      access: AUTHORS,
      body: createBody,
      responses: {
        201: { description: 'Created (Location, ETag)', schema: authorQuizSchema },
        404: { description: 'No such course, or not visible to the caller' },
        409: { description: 'The course is archived' },
      },
      async handle({ body, caller, flags }) {
        assertTriggerAvailable(body.trigger, await flags());
        const created = required(
          (
            await quiz.createQuiz(
              {
                courseId: body.courseId,
                trigger: triggerToProto[body.trigger],
                unitId: body.moduleId,
                pageOrder: body.pageOrder,
                title: body.title,
                questions: body.questions.map(questionToProto),
                gemReward: body.gemReward,
              },
              { caller },
            )
          ).quiz,
        );
        return resourceReply(201, presentAuthorQuiz(created), quizEtag(created), { Location: `/api/quizzes/${created.id}` });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/quizzes/:quizId',
      summary: 'A quiz: the author view with answers for its authors, else the student view',
      description:
        'Authors in scope (admins, subadmins of its category) get the answers and `orphaned`; everyone else gets the student view of a ' +
        `quiz of a course they may see (404 otherwise; orphaned quizzes are 404 too). ${PAGE_QUIZ_FLAGS} ${ETAG_NOTE}`,
      tags: TAGS,
      access: 'public',
      params: quizParams,
      sharedView: (params, view) => [params.quizId, (view as { courseId: string }).courseId],
      responses: {
        200: { description: 'The quiz (ETag; If-None-Match → 304)', schema: z.union([authorQuizSchema, quizViewSchema]) },
        304: { description: 'Not modified' },
        404: notFound,
      },
      async handle({ params, caller, flags }) {
        return quizReply(caller, params.quizId, await flags());
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/quizzes/:quizId',
      summary: 'Change a quiz (partial; If-Match)',
      description: `Any of \`trigger\`, \`moduleId\`, \`pageOrder\` moves the quiz; the result must be valid as in a create. ${PAGE_QUIZ_FLAGS} ${ETAG_NOTE}`,
      tags: TAGS,
      access: AUTHORS,
      params: quizParams,
      body: patchBody,
      responses: {
        200: { description: 'The changed quiz, author view (ETag)', schema: authorQuizSchema },
        404: notFound,
        409: { description: 'The course is archived' },
        412: { description: 'If-Match is stale' },
      },
      async handle({ params, body, caller, flags, ifMatch }) {
        assertTriggerAvailable(body.trigger, await flags());
        const updated = required(
          (
            await quiz.updateQuiz(
              {
                id: params.quizId,
                expectedVersion: ifMatch,
                title: body.title,
                questions: body.questions ? { questions: body.questions.map(questionToProto) } : undefined,
                gemReward: body.gemReward,
                trigger: body.trigger ? triggerToProto[body.trigger] : undefined,
                unitId: body.moduleId,
                pageOrder: body.pageOrder,
              },
              { caller },
            )
          ).quiz,
        );
        return resourceReply(200, presentAuthorQuiz(updated), quizEtag(updated));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/quizzes/:quizId',
      summary: 'Delete a quiz (If-Match)',
      description: 'Attempts and gems already earned stay. Orphaned quizzes can be deleted too.',
      tags: TAGS,
      access: AUTHORS,
      params: quizParams,
      responses: deleteResponses(notFound),
      async handle({ params, caller, ifMatch }) {
        await quiz.deleteQuiz({ id: params.quizId, expectedVersion: ifMatch }, { caller });
        return deletedReply;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/quizzes/:quizId/attempts',
      summary: 'Submit an attempt (students)',
      description:
        'Scores the answers (a question left out scores 0). Gems only for the first attempt: `floor(gemReward × score / maxScore)`, ' +
        'granted exactly once. `gemsStatus: "pending"` means the attempt and the grant are recorded and the gems are on their way ' +
        `(see \`message\`). An \`Idempotency-Key\` header (1 to ${String(REQUEST_ID_MAX)} visible ASCII characters) makes a retried submission answer the attempt the first one recorded. ` +
        'Option questions are answered `{ questionId, selected }` (an option index, or a list of them for `multiple`), number questions ' +
        '`{ questionId, value }`. ' +
        PAGE_QUIZ_FLAGS,
      tags: TAGS,
      access: ['student'],
      params: quizParams,
      body: z.strictObject({ answers: attemptAnswers, timeTakenMs }),
      responses: { 201: { description: 'The scored attempt', schema: attemptSchema }, 404: notFound },
      async handle({ params, body, caller, flags, req }) {
        const requestId = idempotencyKey(req.get('idempotency-key'));
        const callerFlags = await flags();
        // The common case (page quizzes on) costs no extra call; otherwise a page quiz must not be attempted.
        if (!pageQuizzesOn(callerFlags)) await offeredView(caller, params.quizId, callerFlags);
        const { attempt } = await quiz.submitAttempt(
          {
            quizId: params.quizId,
            answers: body.answers.map(answerToProto),
            timeTakenMs: body.timeTakenMs ?? 0,
            requestId,
          },
          { caller },
        );
        return { status: 201, body: presentAttempt(required(attempt)), headers: { 'Cache-Control': 'no-store' } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/quizzes/:quizId/attempts',
      summary: "The caller's own attempts at a quiz, oldest first",
      description: PAGE_QUIZ_FLAGS,
      tags: TAGS,
      access: ['student'],
      params: quizParams,
      query: z.strictObject(pageQuery),
      responses: {
        200: { description: 'A page of attempts', schema: listOf(attemptSchema, 'AttemptList') },
        404: { description: 'No such quiz' },
      },
      async handle({ params, query, caller, flags }) {
        const callerFlags = await flags();
        if (!pageQuizzesOn(callerFlags)) await offeredView(caller, params.quizId, callerFlags);
        const page = await quiz.listAttempts(
          {
            quizId: params.quizId,
            userId: '',
            courseId: '',
            limit: query.limit ?? 0,
            cursor: query.cursor ?? '',
          },
          { caller },
        );
        return listReply({ items: page.items.map(presentAttempt), nextCursor: page.nextCursor || null });
      },
    }),
  ];
}
