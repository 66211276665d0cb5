import { callerFromProto, forbidden, implement, pageSize, type Metrics, type ServiceRegistration } from '@testmancer/shared';
import { contentV1 } from '@testmancer/proto';
import { ObjectId } from 'mongodb';
import { createCategory } from './domain';
import type { ContentContext } from './server/context';
import { courseHandlers } from './server/courses';
import { pageHandlers } from './server/pages';
import { progressHandlers } from './server/progress';
import type { StoredCategory } from './store/categories';
import type { ProgressStore } from './store/progress';

export interface ContentDependencies extends Omit<ContentContext, 'now' | 'metrics'> {
  metrics: Metrics;
  contentMetrics: ContentContext['metrics'];
  progress: ProgressStore;
  now?: () => Date;
}

const categoryMessage = (category: StoredCategory): contentV1.Category => ({
  id: category.id,
  name: category.name,
  version: category.version,
  createdAt: category.createdAt,
});

/** gRPC wiring only: decode, call the domain and the store, encode. */
export function contentService(deps: ContentDependencies): ServiceRegistration {
  const now = deps.now ?? (() => new Date());
  const context: ContentContext = { ...deps, metrics: deps.contentMetrics, now };
  return {
    name: 'testmancer.content.v1.ContentService',
    definition: contentV1.ContentServiceService,
    implementation: implement(
      contentV1.ContentServiceService,
      {
        async createCategory(request) {
          const caller = callerFromProto(request.caller);
          if (caller.kind !== 'user' || caller.role !== 'admin') throw forbidden('only admins create categories');
          const category = createCategory({ id: new ObjectId().toHexString(), name: request.name });
          return { category: categoryMessage(await deps.categories.insert(category, now())) };
        },
        async getCategory(request) {
          return { category: categoryMessage(await deps.categories.get(request.id)) };
        },
        async listCategories(request) {
          const page = await deps.categories.list(pageSize(request.limit), request.cursor);
          return { items: page.items.map(categoryMessage), nextCursor: page.nextCursor };
        },
        ...courseHandlers(context),
        ...pageHandlers(context),
        ...progressHandlers(context, deps.progress),
      },
      deps,
    ),
  };
}
