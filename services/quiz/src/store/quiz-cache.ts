import { LRUCache } from 'lru-cache';
import type { QuizState } from '../domain';
import type { QuizFilter, QuizStore } from './quizzes';

export interface QuizCacheOptions {
  /** How long a quiz, or the quizzes of a course, is served without reading the database again. */
  ttlMs: number;
  maxEntries: number;
  /** Where the entries' age is read (`performance` by default): a test's own clock, read at every check. */
  clock?: { now(): number };
}

/**
 * The quiz store with the reads a student's walk makes on every step (a
 * course's quizzes, a quiz by id) kept in process for `ttlMs`, the staleness
 * the content service's course cache accepts too: a quiz written through
 * another replica, or by the migration, is seen here within that time.
 * Writes through this one drop what they change at once. A read that a write
 * overtakes (the cache aborts its fetch) reads the database instead.
 */
export class CachedQuizStore implements QuizStore {
  private readonly byId: LRUCache<string, QuizState>;
  private readonly byCourse: LRUCache<string, readonly QuizState[]>;

  constructor(
    private readonly store: QuizStore,
    options: QuizCacheOptions,
  ) {
    const clock = options.clock ? { perf: options.clock, ttlResolution: 0 } : {};
    const common = { max: options.maxEntries, ttl: options.ttlMs, ttlAutopurge: false, ...clock };
    this.byId = new LRUCache<string, QuizState>({ ...common, fetchMethod: async (id) => store.get(id) });
    this.byCourse = new LRUCache<string, readonly QuizState[]>({
      ...common,
      fetchMethod: async (courseId) => store.list({ courseId }, undefined),
    });
  }

  async get(id: string): Promise<QuizState | undefined> {
    return this.byId.fetch(id).catch(() => this.store.get(id));
  }

  /** Filters on a course are answered from the course's quizzes (oldest first, as the store lists them). */
  async list(filter: QuizFilter, after: string | undefined): Promise<QuizState[]> {
    const { courseId } = filter;
    if (!courseId) return this.store.list(filter, after);
    const all = (await this.byCourse.fetch(courseId).catch(() => undefined)) ?? (await this.store.list({ courseId }, undefined));
    return all.filter(
      (quiz) =>
        (!filter.unitId || quiz.unitId === filter.unitId) &&
        (!filter.trigger || quiz.trigger === filter.trigger) &&
        (!after || quiz.id > after),
    );
  }

  async insert(quiz: QuizState): Promise<void> {
    await this.store.insert(quiz);
    this.forget(quiz);
  }

  async replace(quiz: QuizState, fromVersion: number): Promise<boolean> {
    const replaced = await this.store.replace(quiz, fromVersion);
    this.forget(quiz);
    return replaced;
  }

  async delete(id: string, version: number): Promise<boolean> {
    const courseId = this.byId.peek(id)?.courseId;
    const deleted = await this.store.delete(id, version);
    this.byId.delete(id);
    if (courseId) this.byCourse.delete(courseId);
    else this.byCourse.clear();
    return deleted;
  }

  private forget(quiz: QuizState): void {
    this.byId.delete(quiz.id);
    this.byCourse.delete(quiz.courseId);
  }
}
