import type { Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import { Counter, type Registry } from 'prom-client';
import type { Caller } from '@testmancer/shared';
import type { Flags } from '../flags';
import { FLAG_NAMES } from '../flags';

/**
 * The final bytes of a student view (a published course, a page, a quiz, the
 * next item), the same for every student and anonymous caller who has the
 * same flag variant: a hit is answered with them, without a call to a
 * service.
 */
export interface EdgeEntry {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Quoted, as sent in `ETag`; empty when the view has none. */
  readonly etag: string;
  readonly body: Buffer;
  /** The route's template, for the metrics of a hit (which is answered before routing). */
  readonly route: string;
  readonly tags: readonly string[];
  /** When the services were asked for it. */
  readonly storedAt: number;
}

export interface EdgeCacheOptions {
  /**
   * The longest a view is served after it was read from the services: the
   * bound within which an author's change made through another gateway pod
   * (or by a migration) reaches students. A change made through this pod
   * reaches them at once.
   */
  maxAgeMs: number;
  /** The bytes of views kept at most (bodies and headers); the least recently served go first. */
  maxBytes: number;
  registry?: Registry;
  now?: () => number;
}

/** What a kept view costs besides its body: its headers, key and indexes, roughly. */
const ENTRY_OVERHEAD_BYTES = 1_024;
/** Tags whose last invalidation is remembered: far more than the courses changed within one read. */
const REMEMBERED_INVALIDATIONS = 100_000;

/** The tag of every list of courses. */
export const COURSE_LISTS = 'course-lists';

/** The views callers of one kind share: students and anonymous callers see published courses only, with no view of their own. */
function sharedClass(caller: Caller): string | undefined {
  if (caller.kind === 'anonymous') return 'anonymous';
  return caller.role === 'student' ? 'student' : undefined;
}

/** One letter per flag: callers with the same letters are served the same views. */
function variantOf(flags: Flags): string {
  let variant = '';
  for (const name of FLAG_NAMES) variant += flags[name] ? '1' : '0';
  return variant;
}

/**
 * Student views kept at the edge, each for at most `maxAgeMs`, dropped at
 * once when an author changes their course through this gateway. Of the
 * misses of one view at one moment, one asks the services and the others
 * are answered with what it got.
 */
export class EdgeCache {
  private readonly entries: LRUCache<string, EdgeEntry>;
  private readonly keysByTag = new Map<string, Set<string>>();
  /** Reads under way, with the count of invalidations when they began. */
  private readonly inFlight = new Map<string, { reading: Promise<EdgeEntry>; readFrom: number }>();
  /**
   * Counts invalidations, and remembers each tag's latest: a read begun
   * before one of its tags was invalidated is answered but not kept, as it
   * may show what was just changed.
   */
  private invalidations = 0;
  private readonly invalidatedAt: LRUCache<string, number>;
  private readonly now: () => number;
  private readonly served: Counter<'answer'>;

  constructor(private readonly options: EdgeCacheOptions) {
    this.now = options.now ?? Date.now;
    this.served = new Counter({
      name: 'gateway_edge_views_total',
      help: 'Student views asked of the edge cache, by answer: hit (from memory), shared (another request was reading it), read (from the services).',
      labelNames: ['answer'] as const,
      registers: options.registry ? [options.registry] : [],
    });
    this.invalidatedAt = new LRUCache({ max: REMEMBERED_INVALIDATIONS });
    this.entries = new LRUCache({
      maxSize: options.maxBytes,
      sizeCalculation: (entry) => entry.body.length + ENTRY_OVERHEAD_BYTES,
      dispose: (entry, key) => this.unindex(key, entry.tags),
    });
  }

  /** The key of the view a request asks for, or undefined when the caller has a view of their own (an author). */
  keyOf(req: Request, caller: Caller, flags: Flags): string | undefined {
    if (req.method !== 'GET') return undefined;
    const shared = sharedClass(caller);
    if (!shared) return undefined;
    return `${shared} ${variantOf(flags)} ${req.originalUrl}`;
  }

  /** The view if it is still fresh. */
  fresh(key: string): EdgeEntry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.storedAt < this.options.maxAgeMs) {
      this.served.inc({ answer: 'hit' });
      return entry;
    }
    this.entries.delete(key);
    return undefined;
  }

  /**
   * The view: fresh, or read once by `read` for every caller asking for it at
   * the same moment (its refusal, a 404, is theirs too: they share the view).
   * A read begun before a change through this gateway is shared with nobody
   * who asks after it.
   */
  async view(key: string, read: () => Promise<Omit<EdgeEntry, 'storedAt'>>): Promise<EdgeEntry> {
    const entry = this.fresh(key);
    if (entry) return entry;
    const pending = this.inFlight.get(key);
    if (pending?.readFrom === this.invalidations) {
      this.served.inc({ answer: 'shared' });
      return pending.reading;
    }
    this.served.inc({ answer: 'read' });
    const readFrom = this.invalidations;
    // Its age counts from before the services were asked.
    const storedAt = this.now();
    const reading = read()
      .then((read) => {
        const entry = { ...read, storedAt };
        if (read.tags.every((tag) => (this.invalidatedAt.get(tag) ?? 0) <= readFrom)) this.store(key, entry);
        return entry;
      })
      .finally(() => {
        if (this.inFlight.get(key)?.reading === reading) this.inFlight.delete(key);
      });
    this.inFlight.set(key, { reading, readFrom });
    return reading;
  }

  /** Drops the views of these tags (course and quiz ids), and those of the courses of the quizzes among them. */
  invalidate(tags: readonly string[]): void {
    this.invalidations += 1;
    for (const tag of tags) this.invalidatedAt.set(tag, this.invalidations);
    const dropped = new Set<string>();
    for (const tag of tags) {
      for (const key of this.keysByTag.get(tag) ?? []) {
        for (const related of this.entries.peek(key)?.tags ?? []) {
          for (const other of this.keysByTag.get(related) ?? []) dropped.add(other);
        }
        dropped.add(key);
      }
    }
    for (const key of dropped) this.entries.delete(key);
  }

  private store(key: string, entry: EdgeEntry): void {
    this.entries.set(key, entry);
    for (const tag of entry.tags) {
      let keys = this.keysByTag.get(tag);
      if (!keys) this.keysByTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByTag.delete(tag);
    }
  }
}

export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch || !etag) return false;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}

/** Answers with a stored view: a 304 when If-None-Match names it. */
export function sendEntry(req: Request, res: Response, entry: EdgeEntry): void {
  res.locals.edgeRoute = entry.route;
  res.set(entry.headers);
  if (entry.status === 200 && etagMatches(req.get('if-none-match'), entry.etag)) {
    res.status(304).end();
    return;
  }
  res.status(entry.status).end(entry.body);
}

/**
 * Answers a fresh view before routing, validation and any call to a
 * service: a hit costs the token check, the flags (both remembered per
 * caller) and one write. A caller whose flags are not known yet goes the
 * route's way, which evaluates them.
 */
export function edgeHits(cache: EdgeCache, knownFlags: (caller: Caller) => Flags | undefined): RequestHandler {
  return (req, res, next) => {
    const caller = res.locals.caller as Caller;
    const flags = knownFlags(caller);
    const key = flags && cache.keyOf(req, caller, flags);
    const entry = key === undefined ? undefined : cache.fresh(key);
    if (entry) sendEntry(req, res, entry);
    else next();
  };
}
