import { content } from '@testmancer/contracts';

import { z } from 'zod';
import type { Clients } from '../clients';
import { defineRoute } from '../http/route';
import { listOf, objectId, pageQuery } from '../http/schemas';
import {
  AUTHORS,
  courseParams,
  deletedReply,
  deleteResponses,
  isStructured,
  listReply,
  position,
  required,
  resourceReply,
  STRUCTURED_ONLY,
  titleOf,
  unitParams,
} from './common';
import { presentUnit, presentUnitDetail, unitDetailSchema, unitOrderSchema, unitSchema } from './present';

const title = titleOf(content.LIMITS.unitTitle);

const TAGS = ['units'];

/** The unit routes under `/units`; main.ts mounts them under `/modules` as well. */
export function unitRoutes(clients: Clients) {
  const content = clients.content;
  const common = { tags: TAGS, availableWhen: isStructured, description: STRUCTURED_ONLY } as const;

  return [
    defineRoute({
      ...common,
      method: 'get',
      path: '/api/courses/:courseId/units',
      summary: "A course's units in order",
      access: 'public',
      params: courseParams,
      sharedView: (params) => [params.courseId],
      query: z.strictObject(pageQuery),
      responses: {
        200: { description: 'A page of units', schema: listOf(unitSchema, 'UnitList') },
        404: { description: 'No such course, or not visible to the caller' },
      },
      async handle({ params, query, caller }) {
        const page = await content.listUnits(
          {
            courseId: params.courseId,
            limit: query.limit ?? 0,
            cursor: query.cursor ?? '',
          },
          { caller },
        );
        return listReply({ items: page.items.map(presentUnit), nextCursor: page.nextCursor || null });
      },
    }),
    defineRoute({
      ...common,
      method: 'post',
      path: '/api/courses/:courseId/units',
      summary: 'Add a unit (at `position`, shifting later units; else last)',
      access: AUTHORS,
      params: courseParams,
      body: z.strictObject({ title, position }),
      responses: {
        201: { description: 'Created (Location, ETag)', schema: unitDetailSchema },
        404: { description: 'No such course, or not visible to the caller' },
        409: { description: 'The course is archived or full' },
      },
      async handle({ params, body, caller }) {
        const { unit } = await content.createUnit(
          {
            courseId: params.courseId,
            title: body.title,
            position: body.position,
          },
          { caller },
        );
        const created = required(unit);
        return resourceReply(201, presentUnitDetail(created), created.version, {
          Location: `/api/courses/${params.courseId}/units/${created.id}`,
        });
      },
    }),
    defineRoute({
      ...common,
      method: 'put',
      path: '/api/courses/:courseId/units/order',
      summary: "Reorder all of a course's units at once (If-Match: the course's version)",
      description: `\`unitIds\` must be exactly the course's units; anything else is a 400 and changes nothing. ${STRUCTURED_ONLY}`,
      access: AUTHORS,
      params: courseParams,
      body: z.strictObject({ unitIds: z.array(objectId()).max(1_000) }),
      responses: {
        200: { description: 'The new order and the course version (ETag)', schema: unitOrderSchema },
        404: { description: 'No such course, or not visible to the caller' },
        412: { description: "If-Match is not the course's version" },
      },
      async handle({ params, body, caller, ifMatch }) {
        const { course } = await content.reorderUnits(
          {
            courseId: params.courseId,
            unitIds: body.unitIds,
            expectedVersion: ifMatch,
          },
          { caller },
        );
        const { units, version } = required(course);
        return resourceReply(200, { unitIds: units.map((unit) => unit.id), version }, version);
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/api/courses/:courseId/units/:unitId',
      summary: 'A unit with its page summaries in order',
      access: 'public',
      params: unitParams,
      sharedView: (params) => [params.courseId],
      responses: {
        200: { description: "The unit (ETag: the unit's version)", schema: unitDetailSchema },
        304: { description: 'Not modified' },
        404: { description: 'No such course or unit, or not visible to the caller' },
      },
      async handle({ params, caller }) {
        const { unit } = await content.getUnit(
          {
            courseId: params.courseId,
            unitId: params.unitId,
          },
          { caller },
        );
        const found = required(unit);
        return resourceReply(200, presentUnitDetail(found), found.version);
      },
    }),
    defineRoute({
      ...common,
      method: 'patch',
      path: '/api/courses/:courseId/units/:unitId',
      summary: "Rename a unit (If-Match: the unit's version)",
      access: AUTHORS,
      params: unitParams,
      body: z.strictObject({ title }),
      responses: {
        200: { description: 'The unit (ETag)', schema: unitDetailSchema },
        404: { description: 'No such course or unit, or not visible to the caller' },
        409: { description: 'The course is archived' },
        412: { description: 'If-Match is stale' },
      },
      async handle({ params, body, caller, ifMatch }) {
        const { unit } = await content.updateUnit(
          {
            courseId: params.courseId,
            unitId: params.unitId,
            expectedVersion: ifMatch,
            title: body.title,
          },
          { caller },
        );
        const updated = required(unit);
        return resourceReply(200, presentUnitDetail(updated), updated.version);
      },
    }),
    defineRoute({
      ...common,
      method: 'delete',
      path: '/api/courses/:courseId/units/:unitId',
      summary: "Delete a unit and its pages; later units move up (If-Match: the unit's version)",
      access: AUTHORS,
      params: unitParams,
      responses: deleteResponses({ description: 'No such course or unit, or not visible to the caller' }),
      async handle({ params, caller, ifMatch }) {
        await content.deleteUnit(
          {
            courseId: params.courseId,
            unitId: params.unitId,
            expectedVersion: ifMatch,
          },
          { caller },
        );
        return deletedReply;
      },
    }),
  ];
}
