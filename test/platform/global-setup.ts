import path from 'node:path';
import { startPlatform, type Platform } from '@testmancer/local-platform';

declare global {
  // Shared with global-teardown, which runs in the same process.
  var __platform: Platform | undefined;
}

/**
 * One platform instance for the whole run: the local database (or MONGODB_URI),
 * the four services and the gateway on free loopback ports. Tests isolate
 * themselves through their own data, so they add no start-up time.
 */
export default async function globalSetup(): Promise<void> {
  const rootDir = path.resolve(__dirname, '../..');
  const platform = await startPlatform({
    rootDir,
    logDir: path.join(rootDir, '.local', 'test-logs'),
    ...(process.env.MONGODB_URI ? { mongodbUri: process.env.MONGODB_URI } : {}),
    databaseDurability: 'relaxed',
    // The web interfaces, for the browser tests (test/platform/browser).
    web: {},
    dbName: process.env.MONGODB_DB ?? `test_${Date.now().toString(36)}`,
    env: {
      LOG_LEVEL: 'warn',
      // Low enough that a test can reach it with its own user; anonymous traffic stays unlimited.
      RATE_LIMIT_USER_MAX: '300',
      RATE_LIMIT_ANONYMOUS_MAX: '1000000',
      // Tests send bad tokens on purpose; edge.int.test.ts checks this limit on a gateway of its own.
      RATE_LIMIT_IP_MAX: '1000000',
    },
  });
  globalThis.__platform = platform;
  process.env.TEST_GATEWAY_URL = platform.gatewayUrl;
  process.env.TEST_MONGODB_URI = platform.mongodbUri;
  process.env.TEST_MONGODB_DB = platform.dbName;
  process.env.TEST_JWT_SECRET = platform.jwtSecret;
  // The processes' keys: a second gateway signs as the gateway, a test may call a service as a given process would.
  process.env.TEST_SERVICE_KEYS = JSON.stringify(platform.serviceKeys);
  process.env.TEST_ADMIN_WEB_URL = platform.webUrls!.admin;
  process.env.TEST_STUDENT_WEB_URL = platform.webUrls!.student;
  process.env.TEST_USER_RATE_LIMIT = '300';
  // For tests that start processes of their own (a gateway with other flags) against the same services.
  process.env.TEST_CONTENT_ADDR = platform.addresses.content;
  process.env.TEST_QUIZ_ADDR = platform.addresses.quiz;
  process.env.TEST_GEMS_ADDR = platform.addresses.gems;
  process.env.TEST_MEDIA_ADDR = platform.addresses.media;
  // For the chart's metric names, checked against what the processes really expose.
  process.env.TEST_METRICS_URLS = JSON.stringify(platform.metricsUrls);
}
