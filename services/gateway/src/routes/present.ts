import { content } from '@testmancer/contracts';
/**
 * gRPC messages → REST bodies, and the schemas that document them. The flag-dependent
 * shapes (terminology, the legacy view) are decided here and nowhere else.
 */
import { contentV1 } from '@testmancer/proto';
import { z } from 'zod';
import type { Flags } from '../flags';
import { required } from './common';
import { blockFromProto, blockMarkdown, blockSchema, type RestBlock } from './blocks';

const { MediaKind } = contentV1;

export const { UNIT_TYPES, COURSE_STATUSES } = content;
export type CourseStatusName = content.CourseStatus;

export const { courseStatusToProto: statusToProto } = content;

// ---- schemas (OpenAPI) ----

const id = z.string();
const version = z.number().int().openapi({ description: 'Grows by one with every change; served as ETag' });
const structureSchema = z.object({ unitType: z.enum(UNIT_TYPES), unitCount: z.number().int() }).openapi('CourseStructure');

export const courseSummarySchema = z
  .object({
    id,
    title: z.string(),
    description: z.string(),
    categoryId: id,
    status: z.enum(COURSE_STATUSES),
    structure: structureSchema.optional().openapi({ description: 'Absent in the legacy view (STRUCTURED_COURSES_ENABLED off)' }),
    version,
  })
  .openapi('CourseSummary');

const courseUnitSchema = z.object({ id, order: z.number().int(), title: z.string(), pageCount: z.number().int() }).openapi('CourseUnit');
const legacyModuleSchema = z
  .object({
    id,
    order: z.number().int(),
    title: z.string(),
    content: z.string().openapi({ description: "The module's pages' markdown, joined with blank lines" }),
  })
  .openapi('LegacyModule');

const courseSchema = courseSummarySchema
  .extend({
    structure: structureSchema,
    units: z.array(courseUnitSchema).openapi({ description: 'Named `modules` where USE_MODULES_TERMINOLOGY is on' }),
  })
  .openapi('Course');
const legacyCourseSchema = courseSummarySchema
  .omit({ structure: true })
  .extend({ modules: z.array(legacyModuleSchema) })
  .openapi('LegacyCourse', { description: 'The view where STRUCTURED_COURSES_ENABLED is off; its ETag also covers page content' });
export const courseViewSchema = z.union([courseSchema, legacyCourseSchema]);

export const pageSummarySchema = z.object({ id, pageOrder: z.number().int(), title: z.string() }).openapi('PageSummary');
export const unitSchema = courseUnitSchema.extend({ version }).openapi('Unit');
export const unitDetailSchema = unitSchema.extend({ pages: z.array(pageSummarySchema) }).openapi('UnitDetail');

const renditionSchema = z
  .object({ width: z.number().int().openapi({ description: 'In pixels' }), url: z.string() })
  .openapi('MediaRendition', { description: 'The same picture at a smaller width' });
const mediaSchema = z
  .object({
    assetId: z.string().nullable().openapi({ description: 'The media asset; null for legacy media known only by URL' }),
    url: z.string().nullable().openapi({ description: 'Null when only the asset id is known (a page written before assets were checked)' }),
    kind: z.enum(['image', 'video', 'raw']).nullable(),
    width: z.number().int().nullable().openapi({ description: 'In pixels; null when unknown' }),
    height: z.number().int().nullable().openapi({ description: 'In pixels; null when unknown' }),
    mediaType: z.string().nullable().openapi({ description: '"image/png", "video/mp4", ...; null when unknown' }),
    renditions: z.array(renditionSchema).openapi({ description: 'Narrowest first; empty when there are none' }),
    srcset: z.string().nullable().openapi({
      description:
        'For an `<img srcset>`: `"<url> <width>w, ..."`, the renditions narrowest first, then `url` itself when its width is known and wider; null when there are no renditions',
    }),
  })
  .openapi('MediaRef');
export const pageSchema = z
  .object({ id, pageOrder: z.number().int(), title: z.string(), blocks: z.array(blockSchema), media: z.array(mediaSchema), version })
  .openapi('Page');

export const unitOrderSchema = z
  .object({ unitIds: z.array(id), version })
  .openapi('UnitOrder', { description: '`version` is the course version' });
export const pageOrderSchema = z
  .object({ pageIds: z.array(id), version })
  .openapi('PageOrder', { description: '`version` is the course version' });

// ---- presenters ----

type CourseLike = contentV1.Course | contentV1.CourseSummary;

export function presentCourseSummary(course: CourseLike, flags: Flags) {
  return {
    id: course.id,
    title: course.title,
    description: course.description,
    categoryId: course.categoryId,
    status: required(content.courseStatusFromProto(course.status)),
    ...(flags.STRUCTURED_COURSES_ENABLED
      ? { structure: { unitType: course.structure?.unitType ?? 'unit', unitCount: course.structure?.unitCount ?? 0 } }
      : {}),
    version: course.version,
  };
}

/** The structured view; the `units` key follows the caller's terminology. */
export function presentCourse(course: contentV1.Course, flags: Flags) {
  const units = course.units.map(({ id, order, title, pageCount }) => ({ id, order, title, pageCount }));
  const { version, ...summary } = presentCourseSummary(course, flags);
  return { ...summary, [flags.USE_MODULES_TERMINOLOGY ? 'modules' : 'units']: units, version };
}

/** The pre-structure view: modules with their content inline, no structure. */
export function presentLegacyCourse(course: contentV1.Course, pagesById: ReadonlyMap<string, contentV1.Page>, flags: Flags) {
  const { version, ...summary } = presentCourseSummary(course, flags);
  const modules = course.units.map((unit) => ({
    id: unit.id,
    order: unit.order,
    title: unit.title,
    content: unit.pages
      .flatMap((page) => pagesById.get(page.id)?.blocks ?? [])
      .map(blockMarkdown)
      .filter((text): text is string => text !== undefined && text !== '')
      .join('\n\n'),
  }));
  return { ...summary, modules, version };
}

/**
 * The legacy view shows page content, which changes without the course's version moving;
 * page versions only grow, so (course version, sum of its pages' versions) names one state.
 */
export const legacyEtag = (course: contentV1.Course, pages: readonly contentV1.Page[]) =>
  `${course.version}.${pages.reduce((sum, page) => sum + page.version, 0)}`;

export const presentUnit = ({ id, order, title, pageCount, version }: contentV1.Unit) => ({ id, order, title, pageCount, version });

export const presentUnitDetail = (unit: contentV1.Unit) => ({ ...presentUnit(unit), pages: unit.pages.map(presentPageSummary) });

export const presentPageSummary = ({ id, pageOrder, title }: contentV1.PageSummary) => ({ id, pageOrder, title });

const mediaKinds = new Map<contentV1.MediaKind, 'image' | 'video' | 'raw'>([
  [MediaKind.IMAGE, 'image'],
  [MediaKind.VIDEO, 'video'],
  [MediaKind.RAW, 'raw'],
]);

/**
 * The renditions as an `srcset`, narrowest first, then the asset itself when it is
 * wider (with width descriptors a browser never picks `src`, so the full size is
 * listed too). Null when there are no renditions: `url` alone is the image.
 */
function srcsetOf(ref: contentV1.MediaRef, renditions: readonly contentV1.MediaRendition[]): string | null {
  if (renditions.length === 0) return null;
  const widest = renditions[renditions.length - 1]!.width;
  const candidates =
    ref.url && ref.width !== undefined && ref.width > widest ? [...renditions, { width: ref.width, url: ref.url }] : renditions;
  return candidates.map(({ width, url }) => `${url} ${String(width)}w`).join(', ');
}

function presentMedia(ref: contentV1.MediaRef) {
  const renditions = [...ref.renditions].sort((a, b) => a.width - b.width).map(({ width, url }) => ({ width, url }));
  return {
    assetId: ref.assetId || null,
    url: ref.url || null,
    kind: mediaKinds.get(ref.kind) ?? null,
    width: ref.width ?? null,
    height: ref.height ?? null,
    mediaType: ref.mediaType || null,
    renditions,
    srcset: srcsetOf(ref, renditions),
  };
}

export function presentPage(page: contentV1.Page) {
  return {
    id: page.id,
    pageOrder: page.pageOrder,
    title: page.title,
    blocks: page.blocks.map(blockFromProto).filter((block): block is RestBlock => block !== undefined),
    media: page.media.map(presentMedia),
    version: page.version,
  };
}
