import type { Caller, CompareAndSet, Logger } from '@testmancer/shared';
import type { AssetCatalog } from '../clients/media';
import type { ContentMetrics } from '../metrics';
import type { CategoryStore } from '../store/categories';
import type { PageStore } from '../store/pages';
import type { ProgressStore } from '../store/progress';
import type { Courses } from './courses';

/** What the use cases work with: the stores and the media service behind their ports, the clock and the id source. */
export interface ContentContext {
  courses: Courses;
  pages: PageStore;
  categories: CategoryStore;
  progress: ProgressStore;
  /** The media service's assets, which image and video blocks use. */
  assets: AssetCatalog;
  compareAndSet: CompareAndSet;
  metrics: Pick<ContentMetrics, 'unitsCreated' | 'pagesCreated'>;
  logger: Pick<Logger, 'error'>;
  now: () => Date;
  /** A new 24-hex id (an ObjectId's, so that ids sort by creation). */
  newId: () => string;
}

/** The metrics' `role` label. */
export const roleOf = (caller: Caller): string => (caller.kind === 'user' ? caller.role : 'anonymous');
