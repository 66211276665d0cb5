import type { Schemas } from '../../shared/api/client';
import type { Terms } from '../../shared/terms';

export type CourseView = Schemas['Course'] | Schemas['LegacyCourse'];
export type StructuredCourse = Schemas['Course'];
export type UnitType = Schemas['CourseStructure']['unitType'];

/** The legacy view (STRUCTURED_COURSES_ENABLED off) has no structure and carries its content inline. */
export const isLegacy = (course: CourseView): course is Schemas['LegacyCourse'] => !('structure' in course) || !course.structure;

/** USE_MODULES_TERMINOLOGY renames the `units` key of a response to `modules`. */
function unitsKey<T>(body: object): T[] {
  const renamed = body as { units?: T[]; modules?: T[] };
  return renamed.units ?? renamed.modules ?? [];
}

export const unitsOf = (course: StructuredCourse): Schemas['CourseUnit'][] =>
  [...unitsKey<Schemas['CourseUnit']>(course)].sort((a, b) => a.order - b.order);

export const unitProgressOf = (progress: Schemas['CourseProgress']): Schemas['UnitProgress'][] =>
  unitsKey<Schemas['UnitProgress']>(progress);

const PLURALS: Record<UnitType, string> = { unit: 'units', module: 'modules', chapter: 'chapters', week: 'weeks', lesson: 'lessons' };

/**
 * The word for a course's parts: its own (chapter, week, lesson) when it has one, else the
 * generic word the terminology switch picks ("unit" and "module" are both the generic word).
 */
export function partWord(unitType: UnitType | undefined, terms: Terms): { one: string; many: string; One: string } {
  if (!unitType || unitType === 'unit' || unitType === 'module') return { one: terms.unit, many: terms.units, One: terms.Unit };
  return { one: unitType, many: PLURALS[unitType], One: unitType.charAt(0).toUpperCase() + unitType.slice(1) };
}

export const countOf = (count: number, word: { one: string; many: string }) => `${String(count)} ${count === 1 ? word.one : word.many}`;
