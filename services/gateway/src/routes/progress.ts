import type { contentV1, quizV1 } from '@testmancer/proto';

import { z } from 'zod';
import type { Clients } from '../clients';
import { coursePath, type PathUnit, type QuizItem } from '../domain/navigation';
import type { Flags } from '../flags';
import { defineRoute } from '../http/route';
import { objectId } from '../http/schemas';
import { courseParams, isStructured, required, STRUCTURED_ONLY } from './common';
import { pageOrder, triggerName } from './quiz-present';
import { pageQuizzesOn } from './quizzes';

const TAGS = ['progress'];

const unitProgressSchema = z
  .object({
    unitId: z.string(),
    order: z.number().int(),
    completedPages: z.number().int(),
    totalPages: z.number().int(),
    completedPageOrders: z.array(z.number().int()).openapi({ description: 'The viewed pages, ascending' }),
    completed: z
      .boolean()
      .openapi({ description: 'Every page of the unit viewed (true for a unit without pages: nothing is left to view)' }),
  })
  .openapi('UnitProgress');

const quizProgressSchema = z
  .object({
    quizId: z.string(),
    unitId: z.string(),
    pageOrder: z.number().int().optional().openapi({ description: 'Page quizzes only: the page the quiz follows' }),
    title: z.string(),
    attempts: z.number().int(),
    bestScore: z.number().int().nullable().openapi({ description: 'null before the first attempt' }),
    maxScore: z.number().int(),
    passed: z.boolean().openapi({ description: 'Any attempt passed' }),
    gemsAwarded: z.number().int().openapi({ description: 'What the first attempt earned (later attempts earn nothing)' }),
  })
  .openapi('QuizProgress');

const progressSchema = z
  .object({
    completedPages: z.number().int(),
    totalPages: z.number().int(),
    percent: z
      .number()
      .int()
      .openapi({ description: 'floor(100 × completedPages / totalPages); 0 for a course without pages; 100 means completed' }),
    units: z.array(unitProgressSchema).openapi({ description: 'In course order; named `modules` where USE_MODULES_TERMINOLOGY is on' }),
    quizzes: z.array(quizProgressSchema).openapi({ description: 'In the order of the course path (as `next` walks it)' }),
    earnedGems: z
      .number()
      .int()
      .openapi({
        description:
          "Gems the user's first attempts at this course's quizzes earned, including quizzes no longer listed (deleted, or page quizzes " +
          'hidden by PAGE_QUIZZES_ENABLED): gems once earned stay earned. Not the balance, which spans all courses.',
      }),
  })
  .openapi('CourseProgress');

/**
 * The units as the path needs them, from the progress (the course as it is now): only the path's
 * quizzes are shown here, and where a quiz stands depends on its page's order, not on titles.
 */
const pathUnitsOf = (progress: contentV1.CourseProgress): PathUnit[] =>
  progress.units.map((unit) => ({
    id: unit.unitId,
    pages: Array.from({ length: unit.totalPages }, (_, i) => ({ pageOrder: i + 1, title: '' })),
  }));

function presentProgress(progress: contentV1.CourseProgress, results: quizV1.GetCourseResultsResponse, flags: Flags) {
  const units = progress.units.map((unit) => ({
    unitId: unit.unitId,
    order: unit.order,
    completedPages: unit.completedPages,
    totalPages: unit.totalPages,
    completedPageOrders: unit.completedPageOrders,
    completed: unit.completed,
  }));
  const byQuiz = new Map(results.quizzes.map((result) => [result.quizId, result]));
  const path = coursePath(
    pathUnitsOf(progress),
    results.quizzes.map((result) => ({
      id: result.quizId,
      trigger: triggerName(result),
      unitId: result.unitId,
      pageOrder: result.pageOrder,
      title: result.title,
    })),
    { pageQuizzes: pageQuizzesOn(flags) },
  );
  const quizzes = path
    .filter((item): item is QuizItem => item.type === 'quiz')
    .map(({ quizId, unitId, pageOrder, title }) => {
      const result = required(byQuiz.get(quizId));
      return {
        quizId,
        unitId,
        ...(pageOrder === undefined ? {} : { pageOrder }),
        title,
        attempts: result.attempts,
        bestScore: result.bestScore ?? null,
        maxScore: result.maxScore,
        passed: result.passed,
        gemsAwarded: result.gemsAwarded,
      };
    });
  return {
    completedPages: progress.completedPages,
    totalPages: progress.totalPages,
    percent: progress.percent,
    [flags.USE_MODULES_TERMINOLOGY ? 'modules' : 'units']: units,
    quizzes,
    earnedGems: results.earnedGems,
  };
}

export function progressRoutes(clients: Clients) {
  const { content, quiz } = clients;
  const common = { tags: TAGS, availableWhen: isStructured, params: courseParams } as const;

  return [
    defineRoute({
      ...common,
      method: 'post',
      path: '/api/courses/:courseId/progress',
      summary: 'Mark a page viewed (students; idempotent)',
      description: `Marking a page again changes nothing. Answers 204: \`GET\` the progress to show it. ${STRUCTURED_ONLY}`,
      access: ['student'],
      body: z.strictObject({ unitId: objectId(), pageOrder }),
      responses: {
        204: { description: 'Marked' },
        404: { description: 'No such course (or not visible), unit or page, or STRUCTURED_COURSES_ENABLED is off' },
      },
      async handle({ params, body, caller }) {
        await content.markPageViewed({ courseId: params.courseId, ...body }, { caller });
        return { status: 204 };
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/api/courses/:courseId/progress',
      summary: 'Progress in a course: pages viewed, quizzes taken, gems earned',
      description:
        "Students read their own. Authors of the course (admins, subadmins in scope) read anyone's with `?userId=` (their own " +
        'without); anyone else naming another user gets a 403. Pages are counted against the course as it is now: a deleted page no ' +
        "longer counts. Quizzes are those of the path as the caller's flags show it (no page quizzes where PAGE_QUIZZES_ENABLED is " +
        `off for the caller). ${STRUCTURED_ONLY}`,
      access: 'authenticated',
      query: z.strictObject({ userId: objectId().optional().openapi({ description: "Authors: whose progress; default the caller's" }) }),
      responses: {
        200: { description: 'The progress', schema: progressSchema },
        404: { description: 'No such course, or not visible to the caller, or STRUCTURED_COURSES_ENABLED is off' },
      },
      async handle({ params, query, caller, flags }) {
        const { courseId } = params;
        const userId = query.userId ?? '';
        // The content service decides who may read whose progress, so it answers before anything else is asked.
        const progress = required((await content.getProgress({ courseId, userId }, { caller })).progress);
        // The quiz service's read model: the course's quizzes with the user's results, in one call.
        const results = await quiz.getCourseResults({ courseId, userId }, { caller });
        // Progress moves with every view and attempt, without a version: never served from a cache.
        const body = presentProgress(progress, results, await flags());
        return { status: 200, body, headers: { 'Cache-Control': 'no-store', Vary: 'Authorization' } };
      },
    }),
  ];
}
