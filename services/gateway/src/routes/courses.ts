import { content as contentContract } from '@testmancer/contracts';
import { contentV1 } from '@testmancer/proto';
import { type Caller } from '@testmancer/shared';
import { z } from 'zod';
import type { Clients } from '../clients';
import type { Flags } from '../flags';
import { COURSE_LISTS } from '../http/edge-cache';
import { defineRoute, type Reply } from '../http/route';
import { listOf, objectId, pageQuery } from '../http/schemas';
import { AUTHORS, courseParams, isStructured, listReply, required, resourceReply, STRUCTURED_ONLY, titleOf } from './common';
import {
  COURSE_STATUSES,
  courseSummarySchema,
  courseViewSchema,
  legacyEtag,
  presentCourse,
  presentCourseSummary,
  presentLegacyCourse,
  statusToProto,
  UNIT_TYPES,
} from './present';

const title = titleOf(contentContract.LIMITS.courseTitle);

const TAGS = ['courses'];
const { LIMITS } = contentContract;

const description = z.string().trim().max(LIMITS.courseDescription);
const structure = z.strictObject({ unitType: z.enum(UNIT_TYPES) });

const VIEW_DESCRIPTION =
  'With USE_MODULES_TERMINOLOGY on for the caller the `units` key is named `modules`. With STRUCTURED_COURSES_ENABLED off the ' +
  'legacy view is served instead: `modules: [{ id, order, title, content }]` and no `structure`; its ETag then also covers page ' +
  'content (`"<version>.<n>"`); If-Match accepts it and compares its `<version>`.';

export function courseRoutes(clients: Clients) {
  const content = clients.content;

  /** The course's pages, in batches of ids; a batch whose pages are too large for one answer is asked again from where it stopped. */
  async function loadPages(caller: Caller, course: contentV1.Course): Promise<contentV1.Page[]> {
    const pageIds = course.units.flatMap((unit) => unit.pages.map((page) => page.id));
    const batches: string[][] = [];
    for (let start = 0; start < pageIds.length; start += LIMITS.pagesPerBatchGet)
      batches.push(pageIds.slice(start, start + LIMITS.pagesPerBatchGet));
    const answers = await Promise.all(
      batches.map(async (batch) => {
        const pages: contentV1.Page[] = [];
        for (let rest = batch; rest.length > 0;) {
          const answer = await content.batchGetPages({ courseId: course.id, pageIds: rest }, { caller });
          pages.push(...answer.pages);
          rest = answer.nextIndex > 0 ? rest.slice(answer.nextIndex) : [];
        }
        return pages;
      }),
    );
    return answers.flat();
  }

  /** Every response that is one course: the structured or the legacy view, as the caller's flags say. */
  async function courseReply(
    status: number,
    course: contentV1.Course | undefined,
    caller: Caller,
    flags: Flags,
    location?: string,
  ): Promise<Reply> {
    const found = required(course);
    const headers: Record<string, string> = location ? { Location: location } : {};
    if (isStructured(flags)) return resourceReply(status, presentCourse(found, flags), found.version, headers);
    const pages = await loadPages(caller, found);
    const body = presentLegacyCourse(found, new Map(pages.map((page) => [page.id, page])), flags);
    return resourceReply(status, body, legacyEtag(found, pages), headers);
  }

  return [
    defineRoute({
      method: 'get',
      path: '/api/courses',
      summary: 'List the courses the caller may see',
      description:
        'Students and anonymous callers see published courses only. Items of the legacy view (STRUCTURED_COURSES_ENABLED off) have no `structure`.',
      tags: TAGS,
      access: 'public',
      query: z.strictObject({ ...pageQuery, categoryId: objectId().optional(), status: z.enum(COURSE_STATUSES).optional() }),
      sharedView: () => [COURSE_LISTS],
      responses: { 200: { description: 'A page of courses', schema: listOf(courseSummarySchema, 'CourseList') } },
      async handle({ query, caller, flags }) {
        const page = await content.listCourses(
          {
            limit: query.limit ?? 0,
            cursor: query.cursor ?? '',
            categoryId: query.categoryId ?? '',
            status: query.status ? statusToProto[query.status] : contentV1.CourseStatus.UNSPECIFIED,
          },
          { caller },
        );
        const callerFlags = await flags();
        return listReply({
          items: page.items.map((course) => presentCourseSummary(course, callerFlags)),
          nextCursor: page.nextCursor || null,
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/courses',
      summary: 'Create a course (a draft)',
      description: `Subadmins only in a category of their scope. ${STRUCTURED_ONLY}`,
      tags: TAGS,
      access: AUTHORS,
      availableWhen: isStructured,
      body: z.strictObject({ title, description: description.optional(), categoryId: objectId(), structure }),
      responses: {
        201: { description: 'Created (Location, ETag)', schema: courseViewSchema },
        404: { description: 'No such category, or STRUCTURED_COURSES_ENABLED is off' },
      },
      async handle({ body, caller, flags }) {
        const { course } = await content.createCourse(
          {
            title: body.title,
            description: body.description ?? '',
            categoryId: body.categoryId,
            unitType: body.structure.unitType,
          },
          { caller },
        );
        return courseReply(201, course, caller, await flags(), `/api/courses/${required(course).id}`);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/courses/:courseId',
      summary: 'A course with its units in order',
      description: `Students and anonymous callers see published courses only (404 otherwise). ${VIEW_DESCRIPTION}`,
      tags: TAGS,
      access: 'public',
      params: courseParams,
      sharedView: (params) => [params.courseId],
      responses: {
        200: { description: 'The course (ETag; If-None-Match → 304)', schema: courseViewSchema },
        304: { description: 'Not modified' },
        404: { description: 'No such course, or not visible to the caller' },
      },
      async handle({ params, caller, flags }) {
        const { course } = await content.getCourse({ id: params.courseId, knownVersion: 0 }, { caller });
        return courseReply(200, course, caller, await flags());
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/courses/:courseId',
      summary: 'Change a course (partial; If-Match)',
      description: VIEW_DESCRIPTION,
      tags: TAGS,
      access: AUTHORS,
      params: courseParams,
      body: z
        .strictObject({
          title: title.optional(),
          description: description.optional(),
          categoryId: objectId().optional(),
          structure: structure.optional(),
        })
        .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'send at least one field to change'),
      responses: {
        200: { description: 'The changed course (ETag)', schema: courseViewSchema },
        404: { description: 'No such course, or not visible to the caller' },
        409: { description: 'The course is archived' },
        412: { description: 'If-Match is stale' },
      },
      async handle({ params, body, caller, flags, ifMatch }) {
        const { course } = await content.updateCourse(
          {
            id: params.courseId,
            expectedVersion: ifMatch,
            title: body.title,
            description: body.description,
            categoryId: body.categoryId,
            unitType: body.structure?.unitType,
          },
          { caller },
        );
        return courseReply(200, course, caller, await flags());
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/courses/:courseId',
      summary: 'Archive a course (nothing is hard-deleted; If-Match)',
      description: `Answers 200 with the archived course, which still exists (status \`archived\`) and has a new version. ${VIEW_DESCRIPTION}`,
      tags: TAGS,
      access: AUTHORS,
      params: courseParams,
      responses: {
        200: { description: 'The archived course (ETag)', schema: courseViewSchema },
        404: { description: 'No such course, or not visible to the caller' },
        412: { description: 'If-Match is stale' },
      },
      async handle({ params, caller, flags, ifMatch }) {
        const { course } = await content.archiveCourse(
          {
            id: params.courseId,
            expectedVersion: ifMatch,
          },
          { caller },
        );
        return courseReply(200, course, caller, await flags());
      },
    }),
    ...(['publish', 'unpublish'] as const).map((action) =>
      defineRoute({
        method: 'post',
        path: `/api/courses/:courseId/${action}`,
        summary: action === 'publish' ? 'Publish a course (If-Match)' : 'Take a course back to draft (If-Match)',
        description: STRUCTURED_ONLY,
        tags: TAGS,
        access: AUTHORS,
        availableWhen: isStructured,
        params: courseParams,
        responses: {
          200: { description: 'The course (ETag)', schema: courseViewSchema },
          404: { description: 'No such course, not visible to the caller, or STRUCTURED_COURSES_ENABLED is off' },
          409: { description: 'The course is archived' },
          412: { description: 'If-Match is stale' },
        },
        async handle({ params, caller, flags, ifMatch }) {
          const request = { id: params.courseId, expectedVersion: ifMatch };
          const { course } =
            action === 'publish' ? await content.publishCourse(request, { caller }) : await content.unpublishCourse(request, { caller });
          return courseReply(200, course, caller, await flags());
        },
      }),
    ),
  ];
}
