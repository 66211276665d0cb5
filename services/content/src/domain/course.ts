/**
 * A course and its structure as one value. Every change is a pure function
 * from the current state to the next, bumping `version` by exactly one, so the
 * store can persist it with one compare-and-set on the old version.
 *
 * Rules:
 * - A change that changes nothing returns the input itself (same reference,
 *   same version), so retries do not make other writers' versions stale and
 *   the store can skip the write (`next === current`).
 * - Status: draft ⇄ published (publish / unpublish); draft or published →
 *   archived (archive). Archived is final: every further change is a conflict,
 *   except archiving again, which changes nothing. Publishing a published
 *   course, unpublishing a draft and archiving an archived course are no-ops.
 * - Ids of new units and pages come from the store; a duplicate within the
 *   course is a conflict, so no id can appear twice.
 * - A unit's own version moves by one with every change to the unit (title,
 *   its pages and their titles, its position), in the same change that moves
 *   the course's: one compare-and-set covers both.
 * - Pages live in their own documents, so a change that moves pages cannot
 *   bump their versions itself: `movedPages` says which pages the store must
 *   give a new version once the course is written.
 */
import { z } from 'zod';
import { conflict, invalid, notFound, stale } from './errors';
import { insertAt, moveTo, removeById, reorderBy } from './ordering';
import { UNIT_TYPES, type CourseState, type CourseStatus, type UnitState, type UnitType } from './types';
import { LIMITS, objectIdSchema, safeParse, titleSchema, toFieldIssues, validateUnitTitle } from './validation';

export interface NewCourse {
  id: string;
  title: string;
  description?: string;
  categoryId: string;
  unitType: UnitType;
  createdBy: string;
  now: Date;
}

export interface CoursePatch {
  title?: string;
  description?: string;
  categoryId?: string;
  unitType?: UnitType;
}

export interface UnitView {
  id: string;
  order: number;
  title: string;
  pageCount: number;
  pageIds: readonly string[];
  version: number;
}

export interface PageLocation {
  unitId: string;
  pageOrder: number;
}

const courseFields = {
  title: titleSchema(LIMITS.courseTitle),
  description: z.string().trim().max(LIMITS.courseDescription),
  categoryId: objectIdSchema,
  unitType: z.enum(UNIT_TYPES),
};
const newCourseSchema = z.object({ ...courseFields, description: courseFields.description.default('') });
const patchSchema = z.object(courseFields).partial();
const PATCHABLE = ['title', 'description', 'categoryId', 'unitType'] as const;

/** Clients send the unit type inside `structure`, so that is where its issues point. */
function parseCourseFields<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = safeParse(schema, input);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error.issues).map((issue) =>
    issue.path === 'unitType' ? { ...issue, path: 'structure/unitType' } : issue,
  );
  throw invalid('invalid course', issues);
}

export function createCourse(input: NewCourse): CourseState {
  const fields = parseCourseFields(newCourseSchema, input);
  return {
    id: input.id,
    ...fields,
    status: 'draft',
    units: [],
    version: 1,
    createdBy: input.createdBy,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

export function updateCourse(course: CourseState, patch: CoursePatch): CourseState {
  assertEditable(course);
  const fields = parseCourseFields(patchSchema, patch);
  const updated: CourseState = {
    ...course,
    title: fields.title ?? course.title,
    description: fields.description ?? course.description,
    categoryId: fields.categoryId ?? course.categoryId,
    unitType: fields.unitType ?? course.unitType,
  };
  const changed = PATCHABLE.some((key) => updated[key] !== course[key]);
  return changed ? next(course, updated) : course;
}

export function publish(course: CourseState): CourseState {
  return setStatus(course, 'published');
}

export function unpublish(course: CourseState): CourseState {
  return setStatus(course, 'draft');
}

export function archive(course: CourseState): CourseState {
  return course.status === 'archived' ? course : next(course, { status: 'archived' });
}

export function checkVersion(course: CourseState, expectedVersion?: number): void {
  if (expectedVersion !== undefined && expectedVersion !== course.version) throw stale('course', course.version);
}

export function checkUnitVersion(course: CourseState, unitId: string, expectedVersion?: number): void {
  const { version } = findUnit(course, unitId);
  if (expectedVersion !== undefined && expectedVersion !== version) throw stale('unit', version);
}

export function assertEditable(course: CourseState): void {
  if (course.status === 'archived') throw conflict('the course is archived and can no longer be changed');
}

// ---- units ----

export function addUnit(course: CourseState, unit: { id: string; title: string }, position?: number): CourseState {
  assertEditable(course);
  const title = validateUnitTitle(unit.title);
  if (course.units.length >= LIMITS.unitsPerCourse) {
    throw conflict(`a course holds at most ${String(LIMITS.unitsPerCourse)} units`);
  }
  if (course.units.some((u) => u.id === unit.id)) throw conflict(`unit ${unit.id} already exists`);
  return next(course, { units: insertAt(course.units, { id: unit.id, title, version: 1, pageIds: [] }, position) });
}

export function renameUnit(course: CourseState, unitId: string, title: string): CourseState {
  assertEditable(course);
  const valid = validateUnitTitle(title);
  return updateUnit(course, unitId, (unit) => (unit.title === valid ? unit : { ...unit, title: valid }));
}

/** Also returns the removed unit, whose pages the store must archive. */
export function removeUnit(course: CourseState, unitId: string): { course: CourseState; removed: UnitState } {
  assertEditable(course);
  const { list: units, removed } = removeById(course.units, unitId, 'unit');
  return { course: next(course, { units }), removed };
}

export function moveUnit(course: CourseState, unitId: string, position: number): CourseState {
  assertEditable(course);
  return withUnits(course, moveTo(course.units, unitId, position, 'unit'));
}

export function reorderUnits(course: CourseState, unitIds: readonly string[]): CourseState {
  assertEditable(course);
  return withUnits(course, reorderBy(course.units, unitIds, 'unitIds'));
}

// ---- pages (their order; bodies live in page documents) ----

export function addPage(course: CourseState, unitId: string, pageId: string, position?: number): CourseState {
  assertEditable(course);
  const unit = findUnit(course, unitId);
  if (unit.pageIds.length >= LIMITS.pagesPerUnit) {
    throw conflict(`a unit holds at most ${String(LIMITS.pagesPerUnit)} pages`);
  }
  if (locatePage(course, pageId) !== undefined) throw conflict(`page ${pageId} already exists`);
  return updateUnit(course, unitId, (u) => ({ ...u, pageIds: insertAt(u.pageIds, pageId, position) }));
}

export function removePage(course: CourseState, unitId: string, pageId: string): CourseState {
  assertEditable(course);
  return updateUnit(course, unitId, (u) => ({ ...u, pageIds: removeById(u.pageIds, pageId, 'page').list }));
}

/** Moves a page within its unit (pages do not change units: quizzes point at both). */
export function movePage(course: CourseState, unitId: string, pageId: string, position: number): CourseState {
  assertEditable(course);
  return updateUnit(course, unitId, (u) => withPageIds(u, moveTo(u.pageIds, pageId, position, 'page')));
}

export function reorderPages(course: CourseState, unitId: string, pageIds: readonly string[]): CourseState {
  assertEditable(course);
  return updateUnit(course, unitId, (u) => withPageIds(u, reorderBy(u.pageIds, pageIds, 'pageIds')));
}

/**
 * A page's title lives in its own document but shows in the course tree, so
 * renaming it moves the unit's and the course's versions: caches of the tree
 * (and ETags) notice.
 */
export function retitlePage(course: CourseState, unitId: string, pageId: string): CourseState {
  assertEditable(course);
  return updateUnit(course, unitId, (u) => {
    if (!u.pageIds.includes(pageId)) throw notFound('page');
    return { ...u };
  });
}

// ---- views ----

export const unitCount = (course: CourseState): number => course.units.length;

export const totalPages = (course: CourseState): number => course.units.reduce((sum, unit) => sum + unit.pageIds.length, 0);

export function findUnit(course: CourseState, unitId: string): UnitState {
  const unit = course.units.find((u) => u.id === unitId);
  if (unit === undefined) throw notFound('unit');
  return unit;
}

export function unitViews(course: CourseState): UnitView[] {
  return course.units.map((unit, index) => toUnitView(unit, index + 1));
}

export function unitView(course: CourseState, unitId: string): UnitView {
  const index = course.units.findIndex((u) => u.id === unitId);
  const unit = course.units[index];
  if (unit === undefined) throw notFound('unit');
  return toUnitView(unit, index + 1);
}

export function pageOrderOf(course: CourseState, unitId: string, pageId: string): number {
  const index = findUnit(course, unitId).pageIds.indexOf(pageId);
  if (index < 0) throw notFound('page');
  return index + 1;
}

export function pageIdAt(course: CourseState, unitId: string, pageOrder: number): string {
  const pageIds = findUnit(course, unitId).pageIds;
  const pageId = Number.isInteger(pageOrder) ? pageIds[pageOrder - 1] : undefined;
  if (pageId === undefined) throw notFound('page');
  return pageId;
}

/**
 * The pages that are in both states at another `pageOrder` (pages never
 * change units). A page serves its position, so each of them has changed.
 */
export function movedPages(before: CourseState, after: CourseState): string[] {
  const pagesBefore = new Map(before.units.map((unit) => [unit.id, unit.pageIds]));
  return after.units.flatMap((unit) => {
    const was = pagesBefore.get(unit.id);
    if (was === undefined || was === unit.pageIds) return [];
    const indexBefore = new Map(was.map((pageId, index) => [pageId, index]));
    return unit.pageIds.filter((pageId, index) => {
      const was = indexBefore.get(pageId);
      return was !== undefined && was !== index; // a page just added has not moved
    });
  });
}

export function locatePage(course: CourseState, pageId: string): PageLocation | undefined {
  for (const unit of course.units) {
    const index = unit.pageIds.indexOf(pageId);
    if (index >= 0) return { unitId: unit.id, pageOrder: index + 1 };
  }
  return undefined;
}

// ---- internals ----

type Changes = Partial<Pick<CourseState, 'title' | 'description' | 'categoryId' | 'status' | 'unitType' | 'units'>>;

const toUnitView = (unit: UnitState, order: number): UnitView => ({
  id: unit.id,
  order,
  title: unit.title,
  pageCount: unit.pageIds.length,
  pageIds: unit.pageIds,
  version: unit.version,
});

function next(course: CourseState, changes: Changes): CourseState {
  const units = changes.units && bumpMovedUnits(course.units, changes.units);
  return { ...course, ...changes, ...(units && { units }), version: course.version + 1 };
}

/**
 * A unit serves its `order`, so every unit that lands at another index has
 * changed and grows by one, unless this change already bumped it.
 */
function bumpMovedUnits(before: readonly UnitState[], after: readonly UnitState[]): UnitState[] {
  const previous = new Map(before.map((unit, index) => [unit.id, { index, version: unit.version }]));
  return after.map((unit, index) => {
    const was = previous.get(unit.id);
    const moved = was !== undefined && was.index !== index && was.version === unit.version;
    return moved ? { ...unit, version: unit.version + 1 } : unit;
  });
}

function setStatus(course: CourseState, status: Exclude<CourseStatus, 'archived'>): CourseState {
  assertEditable(course);
  return course.status === status ? course : next(course, { status });
}

const sameOrder = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((item, i) => item === b[i]);

/** Keeps the input when the new order is the old one: a no-op must not bump the version. */
function withUnits(course: CourseState, units: readonly UnitState[]): CourseState {
  return sameOrder(units, course.units) ? course : next(course, { units });
}

function withPageIds(unit: UnitState, pageIds: readonly string[]): UnitState {
  return sameOrder(pageIds, unit.pageIds) ? unit : { ...unit, pageIds };
}

/**
 * Applies `change` to one unit and bumps the unit's version; an unchanged unit
 * (same reference) leaves the course as is.
 */
function updateUnit(course: CourseState, unitId: string, change: (unit: UnitState) => UnitState): CourseState {
  const unit = findUnit(course, unitId);
  const changed = change(unit);
  if (changed === unit) return course;
  const bumped = { ...changed, version: unit.version + 1 };
  return next(course, { units: course.units.map((u) => (u === unit ? bumped : u)) });
}
