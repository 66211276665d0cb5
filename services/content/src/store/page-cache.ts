import { LRUCache } from 'lru-cache';
import type { MediaRef, PageState } from '../domain';
import type { AssetUser, PageStore, StoredPage } from './pages';

export interface PageCacheOptions {
  /** How long a page read is served from memory: how soon an edit through another replica shows. */
  ttlMs: number;
  /** Bound on the pages' size in memory, in bytes of their JSON. */
  maxBytes: number;
}

/**
 * A `PageStore` whose reads (`read`, `readMany`) are kept in memory for
 * `ttlMs`, the staleness the course cache accepts as well. This process's
 * own writes drop what they change at once, and a read that a write
 * overtakes (the cache aborts its fetch) reads the store instead. Writers
 * (`get`) always read the store.
 */
export class CachedPageStore implements PageStore {
  private readonly cache: LRUCache<string, StoredPage, string>;

  constructor(
    private readonly store: PageStore,
    options: PageCacheOptions,
  ) {
    this.cache = new LRUCache<string, StoredPage, string>({
      maxSize: options.maxBytes,
      // Computed once, when a page comes in from the store.
      sizeCalculation: (page) => JSON.stringify(page).length,
      ttl: options.ttlMs,
      fetchMethod: (id, _stale, { context: courseId }) => store.get(id, courseId),
    });
  }

  async read(id: string, courseId: string): Promise<StoredPage | undefined> {
    const page = await this.cache.fetch(id, { context: courseId }).catch(() => this.store.get(id, courseId));
    return page?.courseId === courseId ? page : undefined;
  }

  async readMany(ids: readonly string[], courseId: string): Promise<StoredPage[]> {
    const pages = await Promise.all(ids.map((id) => this.read(id, courseId)));
    return pages.filter((page): page is StoredPage => page !== undefined);
  }

  get(id: string, courseId: string): Promise<StoredPage | undefined> {
    return this.store.get(id, courseId);
  }

  titles(ids: readonly string[]): Promise<Map<string, string>> {
    return this.store.titles(ids);
  }

  insert(page: Omit<PageState, 'version'>, media: readonly MediaRef[]): Promise<StoredPage> {
    return this.store.insert(page, media);
  }

  async discard(id: string): Promise<void> {
    await this.store.discard(id);
    this.cache.delete(id);
  }

  async replace(before: StoredPage, next: StoredPage): Promise<StoredPage | undefined> {
    try {
      return await this.store.replace(before, next);
    } finally {
      this.cache.delete(before.id);
    }
  }

  async markDeleted(ids: readonly string[]): Promise<void> {
    await this.store.markDeleted(ids);
    this.forget(ids);
  }

  async remove(id: string, courseId: string, expectedVersion?: number): Promise<Date | undefined> {
    const deletedAt = await this.store.remove(id, courseId, expectedVersion);
    this.cache.delete(id);
    return deletedAt;
  }

  async restore(id: string, deletedAt: Date): Promise<void> {
    await this.store.restore(id, deletedAt);
    this.cache.delete(id);
  }

  async moved(courseId: string, ids: readonly string[]): Promise<void> {
    await this.store.moved(courseId, ids);
    this.forget(ids);
  }

  usingAsset(assetId: string): Promise<AssetUser | undefined> {
    return this.store.usingAsset(assetId);
  }

  private forget(ids: readonly string[]): void {
    for (const id of ids) this.cache.delete(id);
  }
}
