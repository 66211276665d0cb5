// Tracing first: it must patch http, express and grpc-js before they load.
import { startTracing, stopTracing } from '@testmancer/shared/tracing';
startTracing('gateway');

import {
  createLogger,
  createMetrics,
  exitOnStartupFailure,
  loadServiceKeys,
  ServiceIdentity,
  startupSetting,
  transportFrom,
} from '@testmancer/shared';
import { credentialMinter } from './auth/credentials';
import { createTokenVerifier } from './auth/tokens';
import { createApp } from './app';
import { createClients } from './clients';
import { loadGatewayConfig } from './config';
import { createFlagEvaluator } from './flags';
import { EdgeCache } from './http/edge-cache';
import { readinessChecker } from './readiness';
import { apiRoutes } from './routes';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const metrics = createMetrics('gateway');
  const flags = await createFlagEvaluator({
    definitionPath: config.FLAGS_FILE,
    env: process.env,
    onEvaluationError: (failure) => logger.warn({ failure }, 'flag evaluation failed; serving the default'),
  });
  const identity = new ServiceIdentity(
    'gateway',
    startupSetting('SERVICE_KEY, SERVICE_PUBLIC_KEYS', () => loadServiceKeys('gateway', config)),
  );
  const transport = startupSetting('GRPC_TLS_CERT_FILE, GRPC_TLS_KEY_FILE, GRPC_TLS_CA_FILE', () => transportFrom(config));
  const clients = createClients(config, identity, transport);
  const { app } = createApp({
    config,
    logger,
    registry: metrics.registry,
    verifyToken: createTokenVerifier({
      ...(config.JWT_SECRET ? { secret: config.JWT_SECRET } : {}),
      ...(config.JWKS_URL ? { jwksUrl: config.JWKS_URL } : {}),
      ...(config.JWT_ISSUER ? { issuer: config.JWT_ISSUER } : {}),
      ...(config.JWT_AUDIENCE ? { audience: config.JWT_AUDIENCE } : {}),
    }),
    credentialFor: credentialMinter(identity),
    evaluateFlags: (caller) => flags.evaluate(caller.kind === 'user' ? caller.userId : undefined),
    knownFlags: (caller) => flags.known(caller.kind === 'user' ? caller.userId : undefined),
    checkReadiness: readinessChecker(clients.health, config.READY_TIMEOUT_MS),
    routes: apiRoutes(clients, config),
    ...(config.EDGE_CACHE_MAX_AGE_MS > 0 && {
      edgeCache: new EdgeCache({
        maxAgeMs: config.EDGE_CACHE_MAX_AGE_MS,
        maxBytes: config.EDGE_CACHE_MAX_BYTES,
        registry: metrics.registry,
      }),
    }),
  });

  const server = app.listen(config.HTTP_PORT, config.HTTP_HOST, () => {
    logger.info({ port: config.HTTP_PORT }, 'gateway listening');
  });
  server.on('error', (error) => exitOnStartupFailure(error));
  // Node's default (5 minutes per request) would cut a large upload short of its own deadline.
  server.requestTimeout = config.MEDIA_TRANSFER_DEADLINE_MS;

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing in-flight requests');
    const force = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
    server.close(() => {
      clearTimeout(force);
      clients.close();
      void stopTracing().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch(exitOnStartupFailure);
