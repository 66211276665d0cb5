import { quizV1, type contentV1 } from '@testmancer/proto';
import { type Caller } from '@testmancer/shared';
import { z } from 'zod';
import type { Clients } from '../clients';
import { coursePath, nextItem, type PathItem, type Position } from '../domain/navigation';
import type { Flags } from '../flags';
import { HttpProblem } from '../http/problem';
import { defineRoute } from '../http/route';
import { objectId } from '../http/schemas';
import { courseParams, isStructured, pageParams, required, STRUCTURED_ONLY } from './common';
import { pageQuizzesOn } from './quizzes';
import { triggerName } from './quiz-present';

const TAGS = ['navigation'];

/** The largest page a service serves. */
const MAX_PAGE_SIZE = 100;

/** Every item of a cursor-paged list, fetched in pages as large as the service serves. */
export async function allPages<T>(
  fetchPage: (page: { limit: number; cursor: string }) => Promise<{ items: T[]; nextCursor: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor = '';
  do {
    const page = await fetchPage({ limit: MAX_PAGE_SIZE, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export interface CourseOutline {
  course: contentV1.Course;
  /** Student view (never an orphan), oldest first. */
  quizzes: quizV1.QuizView[];
}

/** The course as the caller may see it (404 otherwise) and all its quizzes. */
export async function courseOutline(clients: Clients, caller: Caller, courseId: string): Promise<CourseOutline> {
  const { content, quiz } = clients;
  const [{ course }, quizzes] = await Promise.all([
    content.getCourse({ id: courseId, knownVersion: 0 }, { caller }),
    allPages((page) => quiz.listQuizViews({ courseId, unitId: '', trigger: quizV1.QuizTrigger.UNSPECIFIED, ...page }, { caller })),
  ]);
  return { course: required(course), quizzes };
}

/** The course's path as the caller's flags show it. */
export function pathOf({ course, quizzes }: CourseOutline, flags: Flags): PathItem[] {
  return coursePath(
    course.units,
    quizzes.map((quiz) => ({ id: quiz.id, trigger: triggerName(quiz), unitId: quiz.unitId, pageOrder: quiz.pageOrder, title: quiz.title })),
    { pageQuizzes: pageQuizzesOn(flags) },
  );
}

const nextQuery = z.strictObject({
  unitId: objectId().optional(),
  pageOrder: pageParams.shape.pageOrder.optional(),
  quizId: objectId().optional(),
});

/** Nothing, a page (`unitId` and `pageOrder` together) or a quiz (`quizId` alone); anything else is a 400. */
function positionOf({ unitId, pageOrder, quizId }: z.infer<typeof nextQuery>): Position {
  if (quizId !== undefined) {
    if (unitId === undefined && pageOrder === undefined) return { kind: 'quiz', quizId };
    throw new HttpProblem(400, 'send either quizId or unitId and pageOrder', [
      { path: 'query/quizId', message: 'not together with unitId or pageOrder' },
    ]);
  }
  if (unitId !== undefined && pageOrder !== undefined) return { kind: 'page', unitId, pageOrder };
  if (unitId === undefined && pageOrder === undefined) return { kind: 'start' };
  const missing = unitId === undefined ? 'unitId' : 'pageOrder';
  throw new HttpProblem(400, 'unitId and pageOrder go together', [
    { path: `query/${missing}`, message: 'required with unitId and pageOrder' },
  ]);
}

const itemSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('page'), unitId: z.string(), pageOrder: z.number().int(), title: z.string() }),
    z.object({
      type: z.literal('quiz'),
      quizId: z.string(),
      unitId: z.string(),
      pageOrder: z.number().int().optional().openapi({ description: 'Page quizzes only: the page the quiz follows' }),
      title: z.string(),
    }),
    z.object({ type: z.literal('end') }),
  ])
  .openapi('NextItem');

const PATH_RULES =
  'The path: unit by unit, each page followed by its page quizzes, then after the last page the unit quizzes; a unit without ' +
  'pages shows its unit quizzes where it stands (and is skipped when it has none). Quizzes after one page or unit come oldest ' +
  'first. Page quizzes are not on the path where PAGE_QUIZZES_ENABLED is off for the caller (their quizId is then a 404 here).';

export function navigationRoutes(clients: Clients) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/courses/:courseId/next',
      summary: 'The next item of a course after a page or a quiz (or the first item)',
      description:
        'No query: the first item; `unitId` and `pageOrder`: the item after that page; `quizId`: the item after that quiz; ' +
        '`{ type: "end" }` past the last. A point that is not on the caller\'s path is a 404. Meant for students; any signed-in ' +
        `caller who may see the course gets the student path. ${PATH_RULES} ${STRUCTURED_ONLY}`,
      tags: TAGS,
      access: 'authenticated',
      availableWhen: isStructured,
      params: courseParams,
      query: nextQuery,
      sharedView: (params) => [params.courseId],
      responses: {
        200: { description: 'The next item', schema: itemSchema },
        404: { description: 'No such course (or not visible), no such page or quiz in it, or STRUCTURED_COURSES_ENABLED is off' },
      },
      async handle({ params, query, caller, flags }) {
        const from = positionOf(query);
        const next = nextItem(pathOf(await courseOutline(clients, caller, params.courseId), await flags()), from);
        if (!next) throw new HttpProblem(404, 'no such item in this course');
        // Computed from the course and its quizzes, which change without one version: not cached.
        return { status: 200, body: next, headers: { 'Cache-Control': 'no-store', Vary: 'Authorization' } };
      },
    }),
  ];
}
