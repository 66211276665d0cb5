import { content as contentContract } from '@testmancer/contracts';

import { z } from 'zod';
import type { Clients } from '../clients';
import { defineRoute } from '../http/route';
import { listOf, pageQuery } from '../http/schemas';

const category = z.object({ id: z.string(), name: z.string() }).openapi('Category');

export function categoryRoutes(clients: Clients) {
  const content = clients.content;
  return [
    defineRoute({
      method: 'get',
      path: '/api/categories',
      summary: 'List categories',
      tags: ['categories'],
      access: 'public',
      query: z.strictObject(pageQuery),
      responses: { 200: { description: 'A page of categories', schema: listOf(category, 'CategoryList') } },
      async handle({ query, caller }) {
        const page = await content.listCategories(
          {
            limit: query.limit ?? 0,
            cursor: query.cursor ?? '',
          },
          { caller },
        );
        return {
          status: 200,
          body: { items: page.items.map(({ id, name }) => ({ id, name })), nextCursor: page.nextCursor || null },
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/categories',
      summary: 'Create a category (names are unique after trimming and lower-casing)',
      tags: ['categories'],
      access: ['admin'],
      body: z.strictObject({ name: z.string().trim().min(1).max(contentContract.LIMITS.categoryName) }),
      responses: {
        201: { description: 'Created', schema: category },
        409: { description: 'A category with that name exists' },
      },
      async handle({ body, caller }) {
        const { category: created } = await content.createCategory({ name: body.name }, { caller });
        return { status: 201, body: { id: created!.id, name: created!.name }, headers: { Location: `/api/categories/${created!.id}` } };
      },
    }),
  ];
}
