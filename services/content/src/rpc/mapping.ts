/** Wire values ↔ domain values: ids, contentV1 messages, list pages. */
import { content } from '@testmancer/contracts';
import { invalid, isObjectIdText, objectIdFrom } from '@testmancer/shared';
import { contentV1 } from '@testmancer/proto';
import { pageSummaries, type PlacedPage } from '../application/page-editing';
import type { UserProgress } from '../application/progress';
import { unitViews, type BlockCandidate, type CourseStatus, type MediaKind, type MediaRef, type UnitView } from '../domain';
import type { StoredCategory } from '../store/categories';
import type { CourseTree } from '../store/course-cache';
import type { CourseSummary } from '../store/courses';
import type { AssetUser } from '../store/pages';

const { CourseStatus: Status, MediaKind: Kind } = contentV1;

const { courseStatusToProto: statusToProto, courseStatusFromProto } = content;

const mediaKindToProto: Record<MediaKind, contentV1.MediaKind> = { image: Kind.IMAGE, video: Kind.VIDEO, raw: Kind.RAW };

/** A list filter: unspecified is no filter. */
export function statusFilter(status: contentV1.CourseStatus): CourseStatus | undefined {
  if (status === Status.UNSPECIFIED) return undefined;
  const found = courseStatusFromProto(status);
  if (!found) throw invalid('unknown status', [{ path: 'status', message: 'must be one of: draft, published, archived' }]);
  return found;
}

/** A wire id as the domain holds ids (lower-case hex), or INVALID_ARGUMENT naming `field`. */
export const idFrom = (value: string, field: string): string => objectIdFrom(value, field).toHexString();

/** An id in a list the domain checks itself: lower-cased when it is one, kept as sent otherwise so that its issue names it. */
export const idFromList = (id: string): string => (isObjectIdText(id) ? id.toLowerCase() : id);

export function courseSummaryMessage(course: CourseSummary): contentV1.CourseSummary {
  return {
    id: course.id,
    title: course.title,
    description: course.description,
    categoryId: course.categoryId,
    status: statusToProto[course.status],
    structure: { unitType: course.unitType, unitCount: course.unitCount },
    version: course.version,
    createdBy: course.createdBy,
    createdAt: course.createdAt,
    updatedAt: course.updatedAt,
  };
}

export function courseMessage(tree: CourseTree): contentV1.Course {
  const { course } = tree;
  return {
    ...courseSummaryMessage({ ...course, unitCount: course.units.length }),
    units: unitViews(course).map((unit) => unitMessage(tree, unit)),
  };
}

export const unitMessage = (tree: CourseTree, unit: UnitView): contentV1.Unit => ({
  id: unit.id,
  order: unit.order,
  title: unit.title,
  pageCount: unit.pageCount,
  pages: pageSummaries(tree, unit),
  version: unit.version,
});

export const mediaRefMessage = (ref: MediaRef): contentV1.MediaRef => ({
  assetId: ref.assetId,
  url: ref.url,
  kind: mediaKindToProto[ref.kind],
  providerId: ref.providerId,
  width: ref.width,
  height: ref.height,
  renditions: ref.renditions.map(({ width, url }) => ({ width, url })),
  mediaType: ref.mediaType,
});

/** `unitId` and `pageOrder` are where the course has the page now, not what the page document remembers. */
export function pageMessage({ page, where }: PlacedPage): contentV1.Page {
  return {
    id: page.id,
    courseId: page.courseId,
    unitId: where.unitId,
    pageOrder: where.pageOrder,
    title: page.title,
    blocks: page.blocks.map(content.blockToProto),
    media: page.media.map(mediaRefMessage),
    version: page.version,
    createdAt: page.createdAt,
    updatedAt: page.updatedAt,
  };
}

export const assetUseMessage = (user: AssetUser | undefined): contentV1.FindAssetUseResponse =>
  user
    ? { used: true, courseId: user.courseId, unitId: user.unitId, pageId: user.pageId, pageTitle: user.title }
    : { used: false, courseId: '', unitId: '', pageId: '', pageTitle: '' };

export const blocksFromProto = (blocks: readonly contentV1.Block[]): BlockCandidate[] => blocks.map(content.blockFromProto);

export const categoryMessage = (category: StoredCategory): contentV1.Category => ({
  id: category.id,
  name: category.name,
  version: category.version,
  createdAt: category.createdAt,
});

export const progressMessage = ({ courseId, userId, progress }: UserProgress): contentV1.CourseProgress => ({
  courseId,
  userId,
  completedPages: progress.completedPages,
  totalPages: progress.totalPages,
  percent: progress.percent,
  units: progress.units.map((unit) => ({ ...unit, completedPageOrders: [...unit.completedPageOrders] })),
  completed: progress.completed,
});
