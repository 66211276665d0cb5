import { conflict, idAfter, notFound, pageOf } from '@testmancer/shared';
import type { CategoryState, CourseClause, CourseState, MediaRef, PageState } from '../../src/domain';
import type { CategoryStore, StoredCategory } from '../../src/store/categories';
import type { CourseCount, CourseStore, CourseSummary } from '../../src/store/courses';
import type { AssetUser, PageStore, StoredPage } from '../../src/store/pages';
import type { ProgressStore } from '../../src/store/progress';
import { Steps } from '@testmancer/testing';

/**
 * The content service's stores in memory, with MongoDB's guarantees: each
 * call is one atomic single-document operation (a batch is one per
 * document), and each first yields a random number of turns (see `Steps`).
 * Values are copied in and out, as a database would.
 */
const copy = <T>(value: T): T => structuredClone(value);

/** A page of a list by id, as the adapters page (the shared cursors). */
const page = <T>(items: T[], size: number, cursor: string | undefined, idOf: (item: T) => string) => {
  const after = idAfter(cursor);
  const rest = [...items].filter((item) => after === undefined || idOf(item) > after).sort((a, b) => idOf(a).localeCompare(idOf(b)));
  return pageOf(rest.slice(0, size + 1), size, idOf);
};

export class MemoryCourseStore implements CourseStore {
  readonly courses = new Map<string, CourseState>();
  readonly steps = new Steps<keyof CourseStore>();
  private clock = 0;

  async get(id: string): Promise<CourseState | undefined> {
    await this.steps.step('get');
    const course = this.courses.get(id);
    return course && copy(course);
  }

  async versionOf(id: string): Promise<number | undefined> {
    await this.steps.step('versionOf');
    return this.courses.get(id)?.version;
  }

  async insert(course: CourseState): Promise<void> {
    await this.steps.step('insert');
    this.courses.set(course.id, copy(course));
  }

  async replace(before: CourseState, next: CourseState): Promise<CourseState | undefined> {
    await this.steps.step('replace');
    if (this.courses.get(before.id)?.version !== before.version) return undefined;
    const after = { ...copy(next), updatedAt: new Date(Date.UTC(2030, 0, 1) + ++this.clock) };
    this.courses.set(before.id, after);
    return copy(after);
  }

  async list(
    clauses: readonly CourseClause[],
    size: number,
    cursor: string | undefined,
  ): Promise<{ items: CourseSummary[]; nextCursor: string }> {
    await this.steps.step('list');
    const matches = (course: CourseState) =>
      clauses.some(
        (c) =>
          (c.statuses ?? [course.status]).includes(course.status) && (c.categoryIds ?? [course.categoryId]).includes(course.categoryId),
      );
    const summaries = [...this.courses.values()].filter(matches).map(({ units, ...rest }) => ({ ...copy(rest), unitCount: units.length }));
    return page(summaries, size, cursor, (course) => course.id);
  }

  async courseOfUnit(unitId: string): Promise<string | undefined> {
    await this.steps.step('courseOfUnit');
    return [...this.courses.values()].find((course) => course.units.some((unit) => unit.id === unitId))?.id;
  }

  async census(): Promise<CourseCount[]> {
    await this.steps.step('census');
    const counts = new Map<string, CourseCount>();
    for (const { unitType, status } of this.courses.values()) {
      const count = counts.get(`${unitType}/${status}`) ?? { unitType, status, count: 0 };
      count.count += 1;
      counts.set(`${unitType}/${status}`, count);
    }
    return [...counts.values()];
  }
}

interface MemoryPage extends StoredPage {
  readonly deleted: boolean;
  readonly deletedAt?: Date;
}

export class MemoryPageStore implements PageStore {
  readonly pages = new Map<string, MemoryPage>();
  readonly steps = new Steps<keyof PageStore>();
  /** Each course's page-version counter (see `PageState.version`). */
  private readonly counters = new Map<string, number>();
  private clock = 0;

  private now(): Date {
    return new Date(Date.UTC(2030, 0, 1) + ++this.clock);
  }

  private take(courseId: string, count = 1): number {
    const last = (this.counters.get(courseId) ?? 0) + count;
    this.counters.set(courseId, last);
    return last - count + 1;
  }

  private live(id: string, courseId: string): StoredPage | undefined {
    const found = this.pages.get(id);
    if (!found || found.deleted || found.courseId !== courseId) return undefined;
    const { deleted: _deleted, deletedAt: _deletedAt, ...stored } = copy(found);
    return stored;
  }

  async read(id: string, courseId: string): Promise<StoredPage | undefined> {
    await this.steps.step('read');
    return this.live(id, courseId);
  }

  async readMany(ids: readonly string[], courseId: string): Promise<StoredPage[]> {
    await this.steps.step('readMany');
    return ids.flatMap((id) => this.live(id, courseId) ?? []);
  }

  async get(id: string, courseId: string): Promise<StoredPage | undefined> {
    await this.steps.step('get');
    return this.live(id, courseId);
  }

  async titles(ids: readonly string[]): Promise<Map<string, string>> {
    await this.steps.step('titles');
    return new Map(
      ids.flatMap((id) => {
        const found = this.pages.get(id);
        return found ? [[id, found.title] as const] : [];
      }),
    );
  }

  async insert(newPage: Omit<PageState, 'version'>, media: readonly MediaRef[]): Promise<StoredPage> {
    await this.steps.step('insert');
    const now = this.now();
    const stored: StoredPage = {
      ...copy(newPage),
      media: copy(media),
      version: this.take(newPage.courseId),
      createdAt: now,
      updatedAt: now,
    };
    this.pages.set(stored.id, { ...stored, deleted: false });
    return copy(stored);
  }

  async discard(id: string): Promise<void> {
    await this.steps.step('discard');
    this.pages.delete(id);
  }

  async replace(before: StoredPage, next: StoredPage): Promise<StoredPage | undefined> {
    await this.steps.step('replace');
    this.take(before.courseId);
    const current = this.pages.get(before.id);
    if (!current || current.deleted || current.version !== before.version) return undefined;
    const after: StoredPage = { ...copy(next), version: before.version + 1, updatedAt: this.now() };
    this.pages.set(before.id, { ...after, deleted: false });
    return copy(after);
  }

  async markDeleted(ids: readonly string[]): Promise<void> {
    await this.steps.step('markDeleted');
    for (const id of ids) {
      const found = this.pages.get(id);
      if (found) this.pages.set(id, { ...found, deleted: true, deletedAt: this.now() });
    }
  }

  async remove(id: string, courseId: string, expectedVersion?: number): Promise<Date | undefined> {
    await this.steps.step('remove');
    const found = this.pages.get(id);
    if (!this.live(id, courseId) || !found || (expectedVersion !== undefined && found.version !== expectedVersion)) return undefined;
    const deletedAt = this.now();
    this.pages.set(id, { ...found, deleted: true, deletedAt });
    return deletedAt;
  }

  async restore(id: string, deletedAt: Date): Promise<void> {
    await this.steps.step('restore');
    const found = this.pages.get(id);
    if (found?.deletedAt?.getTime() === deletedAt.getTime()) this.pages.set(id, { ...found, deleted: false, deletedAt: undefined });
  }

  async moved(courseId: string, ids: readonly string[]): Promise<void> {
    await this.steps.step('moved');
    if (ids.length === 0) return;
    const first = this.take(courseId, ids.length);
    ids.forEach((id, i) => {
      const found = this.pages.get(id);
      if (found && found.version < first + i) this.pages.set(id, { ...found, version: first + i, updatedAt: this.now() });
    });
  }

  async usingAsset(assetId: string): Promise<AssetUser | undefined> {
    await this.steps.step('usingAsset');
    const found = [...this.pages.values()].find((p) => !p.deleted && p.media.some((ref) => ref.assetId === assetId));
    return found && { pageId: found.id, courseId: found.courseId, unitId: found.unitId, title: found.title };
  }
}

export class MemoryCategoryStore implements CategoryStore {
  readonly categories = new Map<string, StoredCategory>();
  readonly steps = new Steps<keyof CategoryStore>();

  async insert(category: CategoryState, now: Date): Promise<StoredCategory> {
    await this.steps.step('insert');
    if ([...this.categories.values()].some((c) => c.key === category.key))
      throw conflict(`a category named "${category.name}" already exists`);
    const stored = { id: category.id, name: category.name, key: category.key, version: 1, createdAt: now };
    this.categories.set(stored.id, stored);
    return copy(stored);
  }

  async get(id: string): Promise<StoredCategory> {
    await this.steps.step('get');
    const found = this.categories.get(id);
    if (!found) throw notFound('category');
    return copy(found);
  }

  async exists(id: string): Promise<boolean> {
    await this.steps.step('exists');
    return this.categories.has(id);
  }

  async list(size: number, cursor: string | undefined): Promise<{ items: StoredCategory[]; nextCursor: string }> {
    await this.steps.step('list');
    return page([...this.categories.values()].map(copy), size, cursor, (category) => category.id);
  }
}

export class MemoryProgressStore implements ProgressStore {
  readonly viewed = new Map<string, Set<string>>();
  readonly steps = new Steps<keyof ProgressStore>();

  async viewedPages(userId: string, courseId: string): Promise<Set<string>> {
    await this.steps.step('viewedPages');
    return new Set(this.viewed.get(`${userId}:${courseId}`));
  }

  async markViewed(userId: string, courseId: string, pageId: string): Promise<void> {
    await this.steps.step('markViewed');
    const key = `${userId}:${courseId}`;
    const pages = this.viewed.get(key) ?? new Set<string>();
    pages.add(pageId);
    this.viewed.set(key, pages);
  }
}
