// Tracing first: it must patch grpc-js and the MongoDB driver before they load.
import { startTracing } from '@testmancer/shared/tracing';
startTracing('content');

import { exitOnStartupFailure, runService } from '@testmancer/shared';
import { contentService } from './server';
import { categoryIndexes, CategoryStore } from './store/categories';

runService({
  name: 'content',
  indexes: [categoryIndexes],
  async register({ db, logger, metrics }) {
    return { services: [contentService({ categories: new CategoryStore(db), logger, metrics })] };
  },
}).catch(exitOnStartupFailure);
