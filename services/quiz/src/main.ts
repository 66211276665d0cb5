// Tracing first: it must patch grpc-js and the MongoDB driver before they load.
import { startTracing } from '@testmancer/shared/tracing';
startTracing('quiz');

import { exitOnStartupFailure, grpcAddress, legacyBridge, positiveMs, runService } from '@testmancer/shared';
import { contentV1, gemsV1 } from '@testmancer/proto';
import { ObjectId } from 'mongodb';
import { AttemptUseCases } from './application/attempts';
import { GrantDelivery, GrantDispatcher } from './application/grants';
import { QuizUseCases } from './application/quizzes';
import { Submissions } from './application/submissions';
import { ContentCourseDirectory } from './clients/courses';
import { GrpcGemsLedger } from './clients/gems';
import { createQuizMetrics } from './metrics';
import { quizService } from './rpc/server';
import { attemptIndexes, MongoAttemptStore } from './store/attempts';
import { legacyAttemptIndexes, MongoLegacyAttempts } from './store/legacy-attempts';
import { CachedQuizStore } from './store/quiz-cache';
import { MongoQuizStore, quizIndexes } from './store/quizzes';

/** Quizzes and course quiz lists kept in memory, each (a few KiB): bounded whatever the catalogue. */
const QUIZ_CACHE_ENTRIES = 10_000;

runService({
  name: 'quiz',
  env: {
    CONTENT_ADDR: grpcAddress(),
    GEMS_ADDR: grpcAddress(),
    CONTENT_DEADLINE_MS: positiveMs().default(2_000),
    // A submit waits this long for the gems service before answering PENDING.
    GRANT_DELIVERY_TIMEOUT_MS: positiveMs().default(1_000),
    // How often owed grants that failed are retried (the first retry delay; later ones back off).
    GRANT_DISPATCH_INTERVAL_MS: positiveMs().default(500),
    // How often all attempts are searched for owed grants (also at start-up).
    GRANT_SWEEP_INTERVAL_MS: positiveMs().default(30_000),
    // How long a quiz or a course's quizzes are served from memory (quiz writes through another replica show within it).
    QUIZ_CACHE_TTL_MS: positiveMs().default(1_000),
    // First attempts count the monolith's attempts that the migration has not copied yet (docs/live-migration.md).
    LEGACY_BRIDGE: legacyBridge(),
  },
  indexes: (config) => [quizIndexes, attemptIndexes, ...(config.LEGACY_BRIDGE ? [legacyAttemptIndexes] : [])],
  register({ db, config, logger, metrics, compareAndSet, connect }) {
    const quizMetrics = createQuizMetrics(metrics);
    const newId = () => new ObjectId().toHexString();
    const now = () => new Date();
    const attempts = new MongoAttemptStore(db);
    const quizzes = new CachedQuizStore(new MongoQuizStore(db), { ttlMs: config.QUIZ_CACHE_TTL_MS, maxEntries: QUIZ_CACHE_ENTRIES });
    const content = connect(contentV1.ContentServiceService, config.CONTENT_ADDR, 'content', config.CONTENT_DEADLINE_MS);
    const gems = connect(gemsV1.GemsServiceService, config.GEMS_ADDR, 'gems', config.GRANT_DELIVERY_TIMEOUT_MS);
    const courses = new ContentCourseDirectory(content);
    const delivery = new GrantDelivery(new GrpcGemsLedger(gems), attempts, quizMetrics, logger);
    const dispatcher = new GrantDispatcher(
      delivery,
      attempts,
      quizMetrics,
      logger,
      config.GRANT_DISPATCH_INTERVAL_MS,
      config.GRANT_SWEEP_INTERVAL_MS,
    );
    dispatcher.start();
    return Promise.resolve({
      services: [
        quizService({
          quizzes: new QuizUseCases({ quizzes, courses, compareAndSet, newId, now }),
          attempts: new AttemptUseCases({
            quizzes,
            attempts,
            courses,
            submissions: new Submissions(attempts, compareAndSet, config.LEGACY_BRIDGE ? new MongoLegacyAttempts(db) : undefined),
            delivery,
            dispatcher,
            grantDeliveryTimeoutMs: config.GRANT_DELIVERY_TIMEOUT_MS,
            quizMetrics,
            newId,
            now,
          }),
        }),
      ],
      async stop() {
        await dispatcher.stop();
        content.close();
        gems.close();
      },
    });
  },
}).catch(exitOnStartupFailure);
