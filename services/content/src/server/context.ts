import type { Logger } from '@testmancer/shared';
import type { Courses } from '../courses';
import type { ContentMetrics } from '../metrics';
import type { CategoryStore } from '../store/categories';
import type { PageStore } from '../store/pages';

export interface ContentContext {
  courses: Courses;
  pages: PageStore;
  categories: CategoryStore;
  metrics: ContentMetrics;
  logger: Logger;
  now: () => Date;
}
