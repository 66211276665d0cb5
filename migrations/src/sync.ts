/**
 * What the migration last brought over, kept on each course and quiz it
 * migrated (`migrationSync`), so that a later run (the catch-up) and a
 * rollback can tell who changed what since: the monolith (the legacy fields
 * no longer hash the same) or authors in the new shape (versions moved past
 * the ones the migration wrote). Pure functions, no I/O.
 */
import { createHash } from 'node:crypto';
import { BSON, ObjectId, type Document } from 'mongodb';
import { categoryKey, trueModuleOrder, unitIdOf, type LegacyCourse, type LegacyModule, type UnitDocument } from './transform';

/** A short stable digest of values as the passes read them (numbers promoted: a whole double reads as 2, as an int does). */
export function digest(value: unknown): string {
  return createHash('sha256')
    .update(BSON.serialize({ v: value }))
    .digest('base64url')
    .slice(0, 22);
}

export interface UnitSync {
  /** The unit, which is the module's id (or the one derived for a module without). */
  id: ObjectId;
  /** The legacy module as last brought over. */
  legacy: string;
  /** The unit as the migration wrote it: title and page ids. */
  shape: string;
}

/** A course's marker. */
export interface CourseSync {
  /** Category, `published`, and which modules in which true order. */
  structure: string;
  units: UnitSync[];
  /** The course's `version` and `lastPageVersion` right after the migration's last write. */
  version: number;
  pageVersion: number;
}

export const unitShape = (unit: { title: string; pageIds: readonly ObjectId[] }): string =>
  digest({ title: unit.title, pageIds: unit.pageIds.map((id) => id.toHexString()) });

const modulesOf = (course: LegacyCourse): LegacyModule[] => (Array.isArray(course.modules) ? course.modules : []);

/** The legacy side of a course as it is now: its structure digest and each module's, by unit id (hex). */
export function legacyDigests(course: LegacyCourse): { structure: string; modules: Map<string, string> } {
  const modules = modulesOf(course);
  const order = trueModuleOrder(modules);
  const unitIds = order.map((index) => unitIdOf(course._id, modules[index]!, index).toHexString());
  return {
    structure: digest({
      category: categoryKey(typeof course.category === 'string' ? course.category : ''),
      published: course.published === true,
      units: unitIds,
    }),
    modules: new Map(order.map((index, k) => [unitIds[k]!, digest(modules[index])])),
  };
}

/** The marker of a course the migration has just written with `units`, at `version` and `pageVersion`. */
export function courseSync(course: LegacyCourse, units: readonly UnitDocument[], version: number, pageVersion: number): CourseSync {
  const { structure, modules } = legacyDigests(course);
  return {
    structure,
    units: units.map((unit) => ({ id: unit._id, legacy: modules.get(unit._id.toHexString()) ?? '', shape: unitShape(unit) })),
    version,
    pageVersion,
  };
}

/** What the monolith changed in a course since the marker: the structure, or the content of some modules (unit ids, hex). */
export function legacyChanges(course: LegacyCourse, sync: CourseSync): { structure: boolean; modules: string[] } {
  const now = legacyDigests(course);
  if (now.structure !== sync.structure) return { structure: true, modules: [...now.modules.keys()] };
  return {
    structure: false,
    modules: sync.units.filter((unit) => now.modules.get(unit.id.toHexString()) !== unit.legacy).map((unit) => unit.id.toHexString()),
  };
}

/** Whether authors left the course's new shape as the migration wrote it (no course change, no page version taken since). */
export const newShapeUntouched = (course: Document, sync: CourseSync): boolean =>
  course.version === sync.version && course.lastPageVersion === sync.pageVersion;

/** A quiz's marker: its legacy fields as last brought over, and its version then (none for a quiz never edited). */
export interface QuizSync {
  legacy: string;
  version: number | null;
}

/** The legacy fields of a quiz that decide what the migration writes (questions without the ids it adds). */
export function quizDigest(quiz: Document): string {
  const questions: unknown[] = Array.isArray(quiz.questions) ? (quiz.questions as unknown[]) : [];
  const field = (name: string): unknown => (quiz[name] as unknown) ?? null;
  return digest({
    courseId: field('courseId'),
    moduleId: field('moduleId'),
    afterLesson: field('afterLesson'),
    gems: field('gems'),
    questions: questions.map((q) => {
      if (typeof q !== 'object' || q === null) return q;
      const { id: _id, ...rest } = q as Record<string, unknown>;
      return rest;
    }),
  });
}

export const quizUntouched = (quiz: Document, sync: QuizSync): boolean => ((quiz.version as number | undefined) ?? null) === sync.version;
