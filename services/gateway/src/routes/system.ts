import { z } from 'zod';
import { defineRoute } from '../http/route';

const flagsSchema = z
  .object({
    STRUCTURED_COURSES_ENABLED: z.boolean(),
    PAGE_QUIZZES_ENABLED: z.boolean(),
    USE_MODULES_TERMINOLOGY: z.boolean(),
  })
  .openapi('Flags');

export const systemRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/flags',
    summary: 'The feature flags as evaluated for the caller',
    tags: ['flags'],
    access: 'public',
    responses: { 200: { description: 'Each flag as a boolean', schema: flagsSchema } },
    async handle({ flags }) {
      return { status: 200, body: await flags(), headers: { 'Cache-Control': 'private, no-store' } };
    },
  }),
];
