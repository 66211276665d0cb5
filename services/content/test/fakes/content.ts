import { CompareAndSet, type Caller } from '@testmancer/shared';
import { ObjectId } from 'mongodb';
import { Registry } from 'prom-client';
import { categoryCases } from '../../src/application/categories';
import type { ContentContext } from '../../src/application/context';
import { courseAuthoring } from '../../src/application/course-authoring';
import { Courses } from '../../src/application/courses';
import { pageEditing } from '../../src/application/page-editing';
import { progressCases } from '../../src/application/progress';
import { createContentMetrics } from '../../src/metrics';
import type { AssetCatalog } from '../../src/clients/media';
import { CourseCache } from '../../src/store/course-cache';
import { MemoryAssetCatalog } from './memory-media';
import { MemoryCategoryStore, MemoryCourseStore, MemoryPageStore, MemoryProgressStore } from './memory-stores';

export const admin: Caller = { kind: 'user', userId: new ObjectId().toHexString(), role: 'admin', categoryIds: [] };
export const student: Caller = { kind: 'user', userId: new ObjectId().toHexString(), role: 'student', categoryIds: [] };
export const subadminOf = (...categoryIds: string[]): Caller => ({
  kind: 'user',
  userId: new ObjectId().toHexString(),
  role: 'subadmin',
  categoryIds,
});

/** The stores one database holds, shared by every replica built on them. */
export function memoryDatabase() {
  return {
    courses: new MemoryCourseStore(),
    pages: new MemoryPageStore(),
    categories: new MemoryCategoryStore(),
    progress: new MemoryProgressStore(),
  };
}
export type MemoryDatabase = ReturnType<typeof memoryDatabase>;

export interface ReplicaOptions {
  /** How long a cached course tree is served before its version is checked; 0: always checked. */
  revalidateMs?: number;
  /** Errors the use cases log. */
  logged?: unknown[];
  /** The media service's assets; none by default. */
  assets?: AssetCatalog;
}

/**
 * The content service's use cases as one replica runs them (its own course
 * cache), over `db`, with the shared compare-and-set policy's attempts and
 * pauses of 0 ms.
 */
export function contentReplica(db: MemoryDatabase, options: ReplicaOptions = {}) {
  const compareAndSet = new CompareAndSet(undefined, { attempts: 50, firstDelayMs: 0, maxDelayMs: 0 });
  const logger = { error: (fields: unknown) => void options.logged?.push(fields) };
  const cache = new CourseCache(
    { course: (id) => db.courses.get(id), versionOf: (id) => db.courses.versionOf(id), titles: (ids) => db.pages.titles(ids) },
    { maxCourses: 100, revalidateMs: options.revalidateMs ?? 0 },
  );
  const context: ContentContext = {
    courses: new Courses(db.courses, cache, db.pages, compareAndSet, logger),
    pages: db.pages,
    categories: db.categories,
    progress: db.progress,
    assets: options.assets ?? new MemoryAssetCatalog(),
    compareAndSet,
    metrics: createContentMetrics(new Registry()),
    logger,
    now: () => new Date('2030-01-01T00:00:00Z'),
    newId: () => new ObjectId().toHexString(),
  };
  return {
    categories: categoryCases(context),
    courses: courseAuthoring(context),
    pages: pageEditing(context),
    progress: progressCases(context),
  };
}
export type ContentReplica = ReturnType<typeof contentReplica>;

/** A category, and a draft course in it with one unit: what most tests start from. */
export async function courseWithUnit(replica: ContentReplica) {
  const category = await replica.categories.createCategory(admin, `Category ${new ObjectId().toHexString()}`);
  const tree = await replica.courses.createCourse(admin, { title: 'Algebra', categoryId: category.id, unitType: 'module' });
  const { tree: withUnit, unit } = await replica.courses.createUnit(admin, tree.course.id, { title: 'Basics' });
  return { categoryId: category.id, courseId: withUnit.course.id, unitId: unit.id };
}
