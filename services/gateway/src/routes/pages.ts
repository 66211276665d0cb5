import { content } from '@testmancer/contracts';

import { z } from 'zod';
import type { Clients } from '../clients';
import { defineRoute } from '../http/route';
import { listOf, objectId, pageQuery } from '../http/schemas';
import { blocksSchema, blockToProto } from './blocks';
import {
  AUTHORS,
  deletedReply,
  deleteResponses,
  isStructured,
  listReply,
  pageParams,
  position,
  required,
  resourceReply,
  STRUCTURED_ONLY,
  titleOf,
  unitParams,
} from './common';
import { pageOrderSchema, pageSchema, pageSummarySchema, presentPage, presentPageSummary } from './present';

const title = titleOf(content.LIMITS.pageTitle);

const TAGS = ['pages'];

const notFound = { description: 'No such course, unit or page, or not visible to the caller' };

/** The page routes under `/units`; main.ts mounts them under `/modules` as well. */
export function pageRoutes(clients: Clients) {
  const content = clients.content;
  const common = { tags: TAGS, availableWhen: isStructured, description: STRUCTURED_ONLY } as const;

  return [
    defineRoute({
      ...common,
      method: 'get',
      path: '/api/courses/:courseId/units/:unitId/pages',
      summary: "A unit's pages in order",
      access: 'public',
      params: unitParams,
      sharedView: (params) => [params.courseId],
      query: z.strictObject(pageQuery),
      responses: { 200: { description: 'A page of page summaries', schema: listOf(pageSummarySchema, 'PageList') }, 404: notFound },
      async handle({ params, query, caller }) {
        const page = await content.listPages(
          {
            courseId: params.courseId,
            unitId: params.unitId,
            limit: query.limit ?? 0,
            cursor: query.cursor ?? '',
          },
          { caller },
        );
        return listReply({ items: page.items.map(presentPageSummary), nextCursor: page.nextCursor || null });
      },
    }),
    defineRoute({
      ...common,
      method: 'post',
      path: '/api/courses/:courseId/units/:unitId/pages',
      summary: 'Add a page (at `position`, shifting later pages; else last)',
      access: AUTHORS,
      params: unitParams,
      body: z.strictObject({ title, blocks: blocksSchema, position }),
      responses: {
        201: { description: 'Created (Location, ETag)', schema: pageSchema },
        404: notFound,
        409: { description: 'The course is archived or the unit full' },
      },
      async handle({ params, body, caller }) {
        const { page } = await content.createPage(
          {
            courseId: params.courseId,
            unitId: params.unitId,
            title: body.title,
            blocks: body.blocks.map(blockToProto),
            position: body.position,
          },
          { caller },
        );
        const created = required(page);
        const location = `/api/courses/${params.courseId}/units/${params.unitId}/pages/${created.pageOrder}`;
        return resourceReply(201, presentPage(created), created.version, { Location: location });
      },
    }),
    defineRoute({
      ...common,
      method: 'put',
      path: '/api/courses/:courseId/units/:unitId/pages/order',
      summary: "Reorder all of a unit's pages at once (If-Match: the course's version)",
      description: `\`pageIds\` must be exactly the unit's pages; anything else is a 400 and changes nothing. ${STRUCTURED_ONLY}`,
      access: AUTHORS,
      params: unitParams,
      body: z.strictObject({ pageIds: z.array(objectId()).max(1_000) }),
      responses: {
        200: { description: 'The new order and the course version (ETag)', schema: pageOrderSchema },
        404: notFound,
        412: { description: "If-Match is not the course's version" },
      },
      async handle({ params, body, caller, ifMatch }) {
        const { course } = await content.reorderPages(
          {
            courseId: params.courseId,
            unitId: params.unitId,
            pageIds: body.pageIds,
            expectedVersion: ifMatch,
          },
          { caller },
        );
        const { units, version } = required(course);
        const unit = required(units.find((candidate) => candidate.id === params.unitId));
        return resourceReply(200, { pageIds: unit.pages.map((page) => page.id), version }, version);
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/api/courses/:courseId/units/:unitId/pages/:pageOrder',
      summary: 'The page at a position, with its blocks',
      access: 'public',
      params: pageParams,
      sharedView: (params) => [params.courseId],
      responses: {
        200: { description: "The page (ETag: the page's version)", schema: pageSchema },
        304: { description: 'Not modified' },
        404: notFound,
      },
      async handle({ params, caller }) {
        const { page } = await content.getPage({ ...params }, { caller });
        const found = required(page);
        return resourceReply(200, presentPage(found), found.version);
      },
    }),
    defineRoute({
      ...common,
      method: 'patch',
      path: '/api/courses/:courseId/units/:unitId/pages/:pageOrder',
      summary: "Change a page's title and/or blocks (If-Match: the page's version)",
      description: `\`blocks\`, when sent, replaces all blocks. ${STRUCTURED_ONLY}`,
      access: AUTHORS,
      params: pageParams,
      body: z
        .strictObject({ title: title.optional(), blocks: blocksSchema.optional() })
        .refine((patch) => patch.title !== undefined || patch.blocks !== undefined, 'send at least one field to change'),
      responses: {
        200: { description: 'The page (ETag)', schema: pageSchema },
        404: notFound,
        409: { description: 'The course is archived' },
        412: { description: 'If-Match is stale' },
      },
      async handle({ params, body, caller, ifMatch }) {
        const { page } = await content.updatePage(
          {
            ...params,
            expectedVersion: ifMatch,
            title: body.title,
            blocks: body.blocks ? { blocks: body.blocks.map(blockToProto) } : undefined,
          },
          { caller },
        );
        const updated = required(page);
        return resourceReply(200, presentPage(updated), updated.version);
      },
    }),
    defineRoute({
      ...common,
      method: 'delete',
      path: '/api/courses/:courseId/units/:unitId/pages/:pageOrder',
      summary: "Delete a page; later pages move up (If-Match: the page's version)",
      access: AUTHORS,
      params: pageParams,
      responses: deleteResponses(notFound),
      async handle({ params, caller, ifMatch }) {
        await content.deletePage({ ...params, expectedVersion: ifMatch }, { caller });
        return deletedReply;
      },
    }),
  ];
}
