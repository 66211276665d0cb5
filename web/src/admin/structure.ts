import type { Schemas } from '../shared/api/client';

export type UnitType = Schemas['CourseStructure']['unitType'];
export type CourseStatus = Schemas['CourseSummary']['status'];

export const UNIT_TYPES: readonly { value: UnitType; label: string }[] = [
  { value: 'unit', label: 'Units' },
  { value: 'module', label: 'Modules' },
  { value: 'chapter', label: 'Chapters' },
  { value: 'week', label: 'Weeks' },
  { value: 'lesson', label: 'Lessons' },
];

export const STATUSES: readonly { value: CourseStatus; label: string }[] = [
  { value: 'draft', label: 'Draft' },
  { value: 'published', label: 'Published' },
  { value: 'archived', label: 'Archived' },
];

// Filled badges in dark shades: white text on them meets WCAG AA contrast.
export const STATUS_COLOR: Record<CourseStatus, string> = { draft: 'gray.7', published: 'teal.9', archived: 'red.9' };

export const unitTypeLabel = (unitType: UnitType | undefined) => UNIT_TYPES.find((type) => type.value === unitType)?.label ?? 'Units';
export const statusLabel = (status: CourseStatus) => STATUSES.find((entry) => entry.value === status)?.label ?? status;

/** The course's units, whichever key the caller's terminology gives them (`units`, or `modules` with USE_MODULES_TERMINOLOGY). */
export function unitsOf(course: Schemas['Course']): Schemas['CourseUnit'][] {
  const renamed = course as Schemas['Course'] & { modules?: Schemas['CourseUnit'][] };
  return course.units ?? renamed.modules ?? [];
}

/** The structured view of a course; the legacy view (STRUCTURED_COURSES_ENABLED off for the caller) cannot be authored here. */
export function structured(course: Schemas['Course'] | Schemas['LegacyCourse']): Schemas['Course'] {
  if ('structure' in course && course.structure) return course;
  throw new Error('Structured courses are turned off for you, so courses cannot be edited here.');
}
