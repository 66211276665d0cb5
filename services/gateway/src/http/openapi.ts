import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details; every error response has this shape.' });

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  return registry;
}

export function openApiDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Testmancer structured courses API',
      version: '1.0.0',
      description:
        'The gateway of the structured-courses platform. Errors are application/problem+json (RFC 9457). ' +
        'Ids are 24-character hexadecimal strings. Lists take `limit` and `cursor` and return `{ items, nextCursor }`.',
    },
  });
}

/** `/api/courses/:courseId` → `/api/courses/{courseId}` */
export const toOpenApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z]+)/g, '{$1}');
