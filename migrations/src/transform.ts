/**
 * The legacy → structured transformation as plain functions, no I/O
 * (../shared/contracts/legacy-data.md). Every id the migration makes is
 * derived from the legacy data (`derivedId`), and every timestamp it writes
 * is a legacy one, so that a run killed and resumed, or run twice, writes
 * exactly what an uninterrupted run writes.
 */
import { createHash } from 'node:crypto';
import { legacy } from '@testmancer/contracts';
import { isCanonicalId } from '@testmancer/shared';
import { ObjectId } from 'mongodb';

export type Role = 'admin' | 'subadmin' | 'student';

export type ConflictKind =
  | 'bad-order'
  | 'unparseable-gems'
  | 'unknown-role'
  | 'orphan-quiz-course'
  | 'orphan-quiz-module'
  | 'course-quiz-without-units'
  | 'invalid-after-lesson'
  | 'orphan-attempt'
  | 'duplicate-key'
  | 'attempt-out-of-order'
  | 'edited-on-both-sides'
  | 'changed-meanwhile'
  | 'not-representable';

export interface Conflict {
  kind: ConflictKind;
  collection: string;
  id: string;
  detail: string;
}

/** An id as hexadecimal text (ObjectIds), or as it is written (anything else). */
export const hexOf = (id: unknown): string =>
  typeof id === 'object' && id !== null && 'toHexString' in id ? (id as { toHexString(): string }).toHexString() : String(id);

/** A stable ObjectId from a name: the same legacy data always gives the same ids. */
export function derivedId(name: string): ObjectId {
  return new ObjectId(createHash('sha256').update(name).digest().subarray(0, 12));
}

/** What category names are equal by (the content service's `categoryKey`). */
export const categoryKey = (name: string): string => name.normalize('NFC').trim().toLowerCase();
export const categoryIdOf = (key: string): ObjectId => derivedId(`category:${key}`);

// ---------------------------------------------------------------- users

const ROLES: Record<string, Role> = { admin: 'admin', subadmin: 'subadmin', user: 'student', student: 'student' };

export function normalizeRole(user: { role?: unknown; isAdmin?: unknown }): { role: Role; recognised: boolean } {
  const raw = typeof user.role === 'string' ? ROLES[user.role.trim().toLowerCase()] : undefined;
  if (user.isAdmin === true) return { role: 'admin', recognised: true };
  return raw ? { role: raw, recognised: true } : { role: 'student', recognised: false };
}

/** The contract's reading of a legacy `gems` field (one home: the gems service's bridge reads it too). */
export const parseGems = legacy.parseGems;

export type Permission = { all: true } | { all: false; key: string; name: string };

/** `courses:<category name>` (any casing and spaces) or `courses:*`; anything else is not a course scope. */
export function parsePermission(permission: unknown): Permission | undefined {
  if (typeof permission !== 'string') return undefined;
  const match = /^\s*courses\s*:(.*)$/i.exec(permission);
  if (!match || match[1] === undefined) return undefined;
  const name = match[1].trim();
  if (name === '*') return { all: true };
  if (name === '') return undefined;
  return { all: false, key: categoryKey(name), name };
}

// ---------------------------------------------------------------- courses

export interface LegacyMedia {
  url: string;
  type: 'image' | 'video';
  publicId?: string;
}
export interface LegacyLesson {
  title?: string;
  body?: string;
  media?: LegacyMedia[];
}
export interface LegacyModule {
  _id?: ObjectId;
  title?: string;
  order?: unknown;
  content?: string;
  lessons?: LegacyLesson[];
}
export interface LegacyCourse {
  _id: ObjectId;
  title: string;
  description?: string;
  category: string;
  published?: boolean;
  modules?: LegacyModule[];
  createdBy?: ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const hasOrder = (module: LegacyModule): module is LegacyModule & { order: number } =>
  typeof module.order === 'number' && Number.isFinite(module.order);

/**
 * The true order: ascending `order`, ties and missing values keeping their
 * array position, modules without `order` after those with one. Answers the
 * array indexes in that order.
 */
export function trueModuleOrder(modules: readonly LegacyModule[]): number[] {
  return modules
    .map((module, index) => ({ index, order: hasOrder(module) ? module.order : undefined }))
    .sort((a, b) => {
      if (a.order !== undefined && b.order !== undefined) return a.order - b.order || a.index - b.index;
      if (a.order !== undefined) return -1;
      if (b.order !== undefined) return 1;
      return a.index - b.index;
    })
    .map(({ index }) => index);
}

/** Duplicated, missing or gapped orders (the order is still well defined, but an operator should know). */
export function orderProblems(modules: readonly LegacyModule[]): string[] {
  const problems: string[] = [];
  const orders = modules.filter(hasOrder).map((module) => module.order);
  const missing = modules.length - orders.length;
  if (missing > 0) problems.push(`${missing} module(s) without order`);
  const sorted = [...orders].sort((a, b) => a - b);
  const duplicated = sorted.filter((value, i) => i > 0 && sorted[i - 1] === value);
  if (duplicated.length > 0) problems.push(`duplicated order ${[...new Set(duplicated)].join(', ')}`);
  if (sorted.some((value, i) => i > 0 && value - sorted[i - 1]! > 1)) problems.push('gaps in order');
  return problems;
}

export interface PageDocument {
  _id: ObjectId;
  courseId: ObjectId;
  unitId: ObjectId;
  title: string;
  blocks: { type: 'markdown'; markdown: string }[];
  media: { kind: 'image' | 'video'; url?: string; providerId?: string }[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface UnitDocument {
  _id: ObjectId;
  title: string;
  version: number;
  pageIds: ObjectId[];
}

/** Where each legacy module went: its unit, and the page of each lesson. */
export interface ModulePlacement {
  /** Index in the legacy `modules` array. */
  index: number;
  unitId: ObjectId;
  /** 1-based position of the unit. */
  order: number;
  /** pageOrder of lesson k is lessonPage[k]; empty for a module without lessons. */
  lessonPages: number[];
  pageIds: ObjectId[];
}

export interface StructuredCourse {
  /** The fields added to the course document (the legacy fields stay as they are: expand first). */
  fields: {
    categoryId: ObjectId;
    status: 'draft' | 'published';
    structure: { unitType: 'module'; unitCount: number };
    units: UnitDocument[];
    version: number;
    lastPageVersion: number;
  };
  pages: PageDocument[];
  placements: ModulePlacement[];
}

export const unitIdOf = (courseId: ObjectId, module: LegacyModule, index: number): ObjectId =>
  module._id instanceof ObjectId ? module._id : derivedId(`unit:${courseId.toHexString()}:${index}`);

const pageIdOf = (courseId: ObjectId, moduleIndex: number, page: number): ObjectId =>
  derivedId(`page:${courseId.toHexString()}:${moduleIndex}:${page}`);

function mediaOf(media: unknown): PageDocument['media'] {
  if (!Array.isArray(media)) return [];
  return media.map((item: LegacyMedia) => ({
    kind: item.type === 'video' ? 'video' : 'image',
    ...(item.url ? { url: item.url } : {}),
    ...(item.publicId ? { providerId: item.publicId } : {}),
  }));
}

/** The id of a category by its key: the one stored for it, else the one m0 derives (`categoryIdOf`). */
export type CategoryIdFor = (key: string) => ObjectId;

/** The course as the content service stores it: units in the true order, one page per content and lesson. */
export function structureCourse(course: LegacyCourse, categoryIdFor: CategoryIdFor = categoryIdOf): StructuredCourse {
  const modules = Array.isArray(course.modules) ? course.modules : [];
  const pages: PageDocument[] = [];
  const units: UnitDocument[] = [];
  const placements: ModulePlacement[] = [];
  let version = 0;
  for (const index of trueModuleOrder(modules)) {
    const module = modules[index]!;
    const unitId = unitIdOf(course._id, module, index);
    const page = (title: string, markdown: string, media: PageDocument['media']): ObjectId => {
      const _id = pageIdOf(course._id, index, pages.filter((p) => p.unitId.equals(unitId)).length + 1);
      version += 1;
      pages.push({
        _id,
        courseId: course._id,
        unitId,
        title,
        blocks: [{ type: 'markdown', markdown }],
        media,
        version,
        createdAt: course.createdAt,
        updatedAt: course.updatedAt,
      });
      return _id;
    };
    const title = typeof module.title === 'string' ? module.title : '';
    const pageIds: ObjectId[] = [];
    const hasContent = typeof module.content === 'string';
    if (hasContent) pageIds.push(page(title, module.content!, []));
    const lessons = Array.isArray(module.lessons) ? module.lessons : [];
    const lessonPages: number[] = [];
    for (const lesson of lessons) {
      pageIds.push(
        page(
          typeof lesson.title === 'string' ? lesson.title : '',
          typeof lesson.body === 'string' ? lesson.body : '',
          mediaOf(lesson.media),
        ),
      );
      lessonPages.push(pageIds.length);
    }
    units.push({ _id: unitId, title, version: 1, pageIds });
    placements.push({ index, unitId, order: units.length, lessonPages, pageIds });
  }
  return {
    fields: {
      categoryId: categoryIdFor(categoryKey(typeof course.category === 'string' ? course.category : '')),
      status: course.published === true ? 'published' : 'draft',
      structure: { unitType: 'module', unitCount: units.length },
      units,
      version: 1,
      lastPageVersion: version,
    },
    pages,
    placements,
  };
}

// ---------------------------------------------------------------- quizzes

export interface LegacyQuiz {
  _id: ObjectId;
  courseId: ObjectId;
  moduleId?: ObjectId;
  afterLesson?: unknown;
  title: string;
  questions: { prompt: string; options: string[]; answer: number | number[]; points?: number; id?: string }[];
  gems?: number;
}

export interface QuizFields {
  trigger: 'unit' | 'page';
  moduleId?: ObjectId;
  pageOrder?: number;
  pageId?: ObjectId;
  orphaned?: true;
  /**
   * Question ids, which legacy questions lack: ids like every other id of the
   * API (24 hexadecimal characters), derived from the quiz id and position.
   */
  questionIds: string[];
}

/**
 * The quiz's trigger, given its course's placements (undefined when the
 * course does not exist). A conflict means the quiz is kept, marked
 * orphaned, and never shown to students.
 */
export function quizTrigger(
  quiz: LegacyQuiz,
  placements: readonly ModulePlacement[] | undefined,
): { fields: QuizFields; conflict?: Conflict } {
  const id = quiz._id.toHexString();
  const questionIds = (Array.isArray(quiz.questions) ? quiz.questions : []).map((q, i) =>
    typeof q.id === 'string' && isCanonicalId(q.id) ? q.id : derivedId(`question:${id}:${i}`).toHexString(),
  );
  const orphan = (kind: ConflictKind, detail: string) => ({
    fields: { trigger: 'unit' as const, orphaned: true as const, questionIds },
    conflict: { kind, collection: 'quizzes', id, detail },
  });
  if (!placements) return orphan('orphan-quiz-course', `course ${String(quiz.courseId)} does not exist`);
  if (!(quiz.moduleId instanceof ObjectId)) {
    const last = placements[placements.length - 1];
    if (!last) return orphan('course-quiz-without-units', 'course-level quiz in a course without modules');
    return { fields: { trigger: 'unit', moduleId: last.unitId, questionIds } };
  }
  const moduleId = quiz.moduleId;
  const placement = placements.find((p) => p.unitId.equals(moduleId));
  if (!placement) return orphan('orphan-quiz-module', `module ${moduleId.toHexString()} is not in course ${String(quiz.courseId)}`);
  if (quiz.afterLesson === undefined || quiz.afterLesson === null) return { fields: { trigger: 'unit', moduleId, questionIds } };
  const k: unknown = quiz.afterLesson;
  const pageOrder = typeof k === 'number' && Number.isInteger(k) && k >= 0 ? placement.lessonPages[k] : undefined;
  if (pageOrder === undefined) {
    const why =
      placement.lessonPages.length === 0 ? 'the module has no lessons' : `the module has ${placement.lessonPages.length} lesson(s)`;
    return {
      ...orphan('invalid-after-lesson', `afterLesson ${String(k)}: ${why}`),
      fields: { trigger: 'unit', moduleId, orphaned: true, questionIds },
    };
  }
  return { fields: { trigger: 'page', moduleId, pageOrder, pageId: placement.pageIds[pageOrder - 1]!, questionIds } };
}
