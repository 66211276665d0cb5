// Tracing first: it must patch grpc-js and the MongoDB driver before they load.
import { startTracing } from '@testmancer/shared/tracing';
startTracing('content');

import { exitOnStartupFailure, positiveMs, runService } from '@testmancer/shared';
import { mediaV1 } from '@testmancer/proto';
import { ObjectId } from 'mongodb';
import { z } from 'zod';
import { categoryCases } from './application/categories';
import type { ContentContext } from './application/context';
import { courseAuthoring } from './application/course-authoring';
import { Courses } from './application/courses';
import { pageEditing } from './application/page-editing';
import { progressCases } from './application/progress';
import { GrpcAssetCatalog } from './clients/media';
import { createContentMetrics, startCourseCensus } from './metrics';
import { contentService } from './rpc/content-service';
import { categoryIndexes, MongoCategoryStore } from './store/categories';
import { CourseCache } from './store/course-cache';
import { courseIndexes, MongoCourseStore } from './store/courses';
import { CachedPageStore } from './store/page-cache';
import { MongoPageStore, pageIndexes } from './store/pages';
import { MongoProgressStore } from './store/progress';

const CACHED_COURSES = 1_000;
const CACHED_PAGE_BYTES = 64 * 1024 * 1024;
const CENSUS_INTERVAL_MS = 30_000;

const address = () => z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port');

runService({
  name: 'content',
  env: {
    /** The media service: a page write asks it about each asset the page did not use before. */
    MEDIA_ADDR: address(),
    MEDIA_DEADLINE_MS: positiveMs().default(2_000),
    /** How long a cached course tree is served before its version is checked (how soon other replicas' writes show). */
    COURSE_CACHE_REVALIDATE_MS: z.coerce.number().int().min(0).default(1_000),
    /** How long a page read is served from memory (how soon other replicas' edits show). */
    PAGE_CACHE_TTL_MS: positiveMs().default(1_000),
  },
  // Courses and pages are read by _id and listed by _id, progress read and upserted by _id; a unit's course is found by unit id, an asset's page by asset id.
  indexes: [categoryIndexes, courseIndexes, pageIndexes],
  register({ db, logger, metrics, config, compareAndSet, connect }) {
    const contentMetrics = createContentMetrics(metrics.registry);
    const courseStore = new MongoCourseStore(db);
    const pages = new CachedPageStore(new MongoPageStore(db), { ttlMs: config.PAGE_CACHE_TTL_MS, maxBytes: CACHED_PAGE_BYTES });
    const cache = new CourseCache(
      { course: (id) => courseStore.get(id), versionOf: (id) => courseStore.versionOf(id), titles: (ids) => pages.titles(ids) },
      {
        maxCourses: CACHED_COURSES,
        revalidateMs: config.COURSE_CACHE_REVALIDATE_MS,
        onRead: (result) => contentMetrics.cacheRequests.inc({ result }),
      },
    );
    const media = connect(mediaV1.MediaServiceService, config.MEDIA_ADDR, 'media', config.MEDIA_DEADLINE_MS);
    const stopCensus = startCourseCensus(() => courseStore.census(), contentMetrics.courses, CENSUS_INTERVAL_MS, logger);
    const context: ContentContext = {
      courses: new Courses(courseStore, cache, pages, compareAndSet, logger),
      pages,
      categories: new MongoCategoryStore(db),
      progress: new MongoProgressStore(db),
      assets: new GrpcAssetCatalog(media),
      compareAndSet,
      metrics: contentMetrics,
      logger,
      now: () => new Date(),
      newId: () => new ObjectId().toHexString(),
    };
    const useCases = {
      categories: categoryCases(context),
      courses: courseAuthoring(context),
      pages: pageEditing(context),
      progress: progressCases(context),
    };
    const stop = () => {
      stopCensus();
      media.close();
      return Promise.resolve();
    };
    return Promise.resolve({ services: [contentService(useCases)], stop });
  },
}).catch(exitOnStartupFailure);
