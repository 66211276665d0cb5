// Tracing first: it must patch grpc-js and the MongoDB driver before they load.
import { startTracing } from '@testmancer/shared/tracing';
startTracing('content');

import { exitOnStartupFailure, positiveMs, runService } from '@testmancer/shared';
import { z } from 'zod';
import { Courses } from './courses';
import { createContentMetrics, startCourseCensus } from './metrics';
import { contentService } from './server';
import { categoryIndexes, CategoryStore } from './store/categories';
import { CourseCache } from './store/course-cache';
import { CourseStore } from './store/courses';
import { PageStore } from './store/pages';
import { ProgressStore } from './store/progress';

const CACHED_COURSES = 1_000;
const CACHED_PAGE_BYTES = 64 * 1024 * 1024;
const CENSUS_INTERVAL_MS = 30_000;

runService({
  name: 'content',
  env: {
    /** How long a cached course tree is served before its version is checked (how soon other replicas' writes show). */
    COURSE_CACHE_REVALIDATE_MS: z.coerce.number().int().min(0).default(1_000),
    /** How long a page read is served from memory (how soon other replicas' edits show). */
    PAGE_CACHE_TTL_MS: positiveMs().default(1_000),
  },
  // Courses and pages are read by _id and listed by _id, progress read and upserted by _id: no index beyond _id's.
  indexes: [categoryIndexes],
  async register({ db, logger, metrics, config }) {
    const contentMetrics = createContentMetrics(metrics.registry);
    const courseStore = new CourseStore(db);
    const pages = new PageStore(db, { ttlMs: config.PAGE_CACHE_TTL_MS, maxBytes: CACHED_PAGE_BYTES });
    const cache = new CourseCache(
      { course: (id) => courseStore.get(id), versionOf: (id) => courseStore.versionOf(id), titles: (ids) => pages.titles(ids) },
      {
        maxCourses: CACHED_COURSES,
        revalidateMs: config.COURSE_CACHE_REVALIDATE_MS,
        onRead: (result) => contentMetrics.cacheRequests.inc({ result }),
      },
    );
    const stopCensus = startCourseCensus(() => courseStore.census(), contentMetrics.courses, CENSUS_INTERVAL_MS, logger);
    const service = contentService({
      categories: new CategoryStore(db),
      courses: new Courses(courseStore, cache, pages, logger),
      pages,
      progress: new ProgressStore(db),
      logger,
      metrics,
      contentMetrics,
    });
    return { services: [service], stop: async () => stopCensus() };
  },
}).catch(exitOnStartupFailure);
