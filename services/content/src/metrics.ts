import type { Logger } from '@testmancer/shared';
import { Counter, Gauge, type Registry } from 'prom-client';
import { COURSE_STATUSES, UNIT_TYPES } from './domain';
import type { CourseCount } from './store/courses';

export function createContentMetrics(registry: Registry) {
  return {
    unitsCreated: new Counter({
      name: 'content_units_created_total',
      help: 'Units created, by the role of the author.',
      labelNames: ['role'] as const,
      registers: [registry],
    }),
    pagesCreated: new Counter({
      name: 'content_pages_created_total',
      help: 'Pages created, by the role of the author.',
      labelNames: ['role'] as const,
      registers: [registry],
    }),
    cacheRequests: new Counter({
      name: 'content_course_cache_requests_total',
      help: 'Reads of course trees: served from memory (hit), after a version check (revalidated), or from the database (miss).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    courses: new Gauge({
      name: 'content_courses',
      help: 'Courses in the database, by unit type and status (every replica reports the whole count: aggregate with max).',
      labelNames: ['unit_type', 'status'] as const,
      registers: [registry],
    }),
  };
}

export type ContentMetrics = ReturnType<typeof createContentMetrics>;

/**
 * Keeps `content_courses` current by counting the stored courses every
 * `intervalMs`: counting what is stored stays right across replicas,
 * restarts and migrations, where counts kept from this process's own writes
 * would drift. Returns the function that stops it.
 */
export function startCourseCensus(
  census: () => Promise<CourseCount[]>,
  gauge: ContentMetrics['courses'],
  intervalMs: number,
  logger: Logger,
): () => void {
  const refresh = async () => {
    try {
      const counts = await census();
      // Every known combination is reported, 0 when it has no course, so that an emptied one does not keep its last count.
      gauge.reset();
      for (const unitType of UNIT_TYPES) for (const status of COURSE_STATUSES) gauge.set({ unit_type: unitType, status }, 0);
      for (const { unitType, status, count } of counts) gauge.set({ unit_type: unitType, status }, count);
    } catch (err) {
      logger.warn({ err }, 'could not count courses for content_courses');
    }
  };
  void refresh();
  const timer = setInterval(() => void refresh(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
