import { LRUCache } from 'lru-cache';
import type { CourseState } from '../domain';

/** A course and the titles of its pages: everything a read of the structure shows. */
export interface CourseTree {
  readonly course: CourseState;
  readonly titles: ReadonlyMap<string, string>;
}

export interface TreeSource {
  course(id: string): Promise<CourseState | undefined>;
  versionOf(id: string): Promise<number | undefined>;
  titles(pageIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

export type CacheResult = 'hit' | 'miss' | 'revalidated';

export interface CourseCacheOptions {
  maxCourses: number;
  /** How old an entry may be before its version is checked against the database. */
  revalidateMs: number;
  onRead?: (result: CacheResult) => void;
  now?: () => number;
}

interface Entry {
  tree: CourseTree;
  checkedAt: number;
}

type Refreshed = { tree: CourseTree | undefined; result: CacheResult };

/**
 * Course trees in process, least recently used first out.
 *
 * An entry is served as is for `revalidateMs`, then once its stored version
 * is read again: if the course moved (another replica wrote it) the tree is
 * rebuilt, fetching again only the titles of the units whose version moved.
 * Concurrent readers of one course share one database round.
 *
 * Writes through this service go through `wrote`, which drops the entry and
 * puts the tree of the version just written. An entry is never replaced by an
 * older version, so a slow read that started before a write cannot bring the
 * old tree back.
 */
export class CourseCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly inflight = new Map<string, Promise<Refreshed>>();
  private readonly now: () => number;

  constructor(
    private readonly source: TreeSource,
    private readonly options: CourseCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.entries = new LRUCache({ max: options.maxCourses });
  }

  async read(id: string): Promise<CourseTree | undefined> {
    const entry = this.entries.get(id);
    if (entry && this.now() - entry.checkedAt < this.options.revalidateMs) {
      this.remember(entry.tree, entry.checkedAt);
      this.options.onRead?.('hit');
      return entry.tree;
    }
    let flight = this.inflight.get(id);
    if (!flight) {
      const started = this.refresh(id, entry?.tree).finally(() => {
        if (this.inflight.get(id) === started) this.inflight.delete(id);
      });
      this.inflight.set(id, started);
      flight = started;
    }
    const { tree, result } = await flight;
    this.options.onRead?.(result);
    return tree;
  }

  /**
   * The tree after this service changed `before` into `after` (the same
   * object when nothing changed). `newTitles` are titles the change set.
   */
  async wrote(before: CourseState, after: CourseState, newTitles: ReadonlyMap<string, string> = new Map()): Promise<CourseTree> {
    const previous = this.entries.get(after.id)?.tree;
    const fromBase = previous?.course.version === before.version;
    if (after === before && fromBase) return previous;
    // A later write may have landed here first; its tree stays.
    if (!previous || previous.course.version < after.version) this.drop(after.id);
    const tree = await this.build(after, previous, newTitles, fromBase);
    this.remember(tree);
    return tree;
  }

  private drop(id: string): void {
    this.entries.delete(id);
    this.inflight.delete(id);
  }

  private async refresh(id: string, cached: CourseTree | undefined): Promise<Refreshed> {
    if (cached && (await this.source.versionOf(id)) === cached.course.version) {
      this.remember(cached);
      return { tree: cached, result: 'revalidated' };
    }
    const course = await this.source.course(id);
    if (!course) {
      this.entries.delete(id);
      return { tree: undefined, result: 'miss' };
    }
    const tree = await this.build(course, cached);
    this.remember(tree);
    return { tree, result: 'miss' };
  }

  /**
   * Titles come from `newTitles`, then from `previous` where they cannot have
   * changed (all of them when `previous` is the state `course` was made from;
   * else those of units whose version is the same), then from the database.
   */
  private async build(
    course: CourseState,
    previous: CourseTree | undefined,
    newTitles: ReadonlyMap<string, string> = new Map(),
    fromBase = false,
  ): Promise<CourseTree> {
    const previousUnits = new Map(previous?.course.units.map((unit) => [unit.id, unit.version]));
    const titles = new Map<string, string>();
    const missing: string[] = [];
    for (const unit of course.units) {
      const reusable = fromBase || previousUnits.get(unit.id) === unit.version;
      for (const pageId of unit.pageIds) {
        const title = newTitles.get(pageId) ?? (reusable ? previous?.titles.get(pageId) : undefined);
        if (title === undefined) missing.push(pageId);
        else titles.set(pageId, title);
      }
    }
    if (missing.length > 0) for (const [pageId, title] of await this.source.titles(missing)) titles.set(pageId, title);
    return { course, titles };
  }

  private remember(tree: CourseTree, checkedAt = this.now()): void {
    const id = tree.course.id;
    const current = this.entries.get(id);
    if (current && current.tree.course.version > tree.course.version) return;
    this.entries.set(id, { tree, checkedAt });
  }
}
