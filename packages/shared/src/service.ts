import type { CompatServiceDefinition } from 'nice-grpc';
import type { Db, MongoClient } from 'mongodb';
import { CompareAndSet } from './compare-and-set';
import { ConfigError, loadConfig, serviceEnv } from './config';
import { createServiceClient, type ServiceClient } from './grpc/client';
import { Health } from './grpc/health';
import { loadServiceKeys, ServiceIdentity, type ServiceName } from './grpc/identity';
import { scopedDatabase } from './grpc/scope';
import { createGrpcServer, type ServiceRegistration } from './grpc/server';
import { transportFrom } from './grpc/tls';
import { createLogger, type Logger } from './logger';
import { createMetrics, startMetricsServer, type Metrics } from './metrics';
import { createMongoClient, ensureIndexes, instrumentMongoClient, pingDatabase, type CollectionIndexes } from './mongo';
import { stopTracing } from './tracing';
import { healthV1 } from '@testmancer/proto';
import type { z } from 'zod';

export type ServiceConfig = z.infer<z.ZodObject<typeof serviceEnv>>;

export interface ServiceContext<C> {
  config: ServiceConfig & C;
  logger: Logger;
  metrics: Metrics;
  /** Reads in a served call carry its remaining time and stop once it is cancelled (grpc/scope.ts). */
  db: Db;
  mongo: MongoClient;
  /** The one compare-and-set retry policy, its retries counted in `metrics`. */
  compareAndSet: CompareAndSet;
  /** This service's identity: its key signs what it hands out (signed URLs). */
  identity: ServiceIdentity;
  /** A client of another service, proving this one's identity and carrying the served call's budget. */
  connect: <D extends CompatServiceDefinition>(
    definition: D,
    address: string,
    audience: ServiceName,
    defaultDeadlineMs: number,
  ) => ServiceClient<D>;
}

export interface ServiceSpec<S extends Record<string, z.ZodType>> {
  name: Exclude<ServiceName, 'gateway'>;
  /** Variables this service reads beyond the common ones. */
  env?: S;
  /** Created at start (each one a no-op when it exists); a function when they depend on the configuration. */
  indexes?: readonly CollectionIndexes[] | ((config: ServiceConfig & z.infer<z.ZodObject<S>>) => readonly CollectionIndexes[]);
  /** Builds the gRPC services; may start background work, returned as stoppers. */
  register(context: ServiceContext<z.infer<z.ZodObject<S>>>): Promise<{ services: ServiceRegistration[]; stop?: () => Promise<void> }>;
}

const DB_CHECK_INTERVAL_MS = 1_000;
/**
 * A busy database may answer one ping late; only this many misses in a row
 * mark it unreachable, so readiness does not flap under load (and still
 * turns within a few seconds when the database is really gone).
 */
const DB_MISSES_BEFORE_DOWN = 3;

/** The common variables and the service's own, all problems reported at once. */
function loadServiceConfig<S extends Record<string, z.ZodType>>(own: S | undefined): ServiceConfig & z.infer<z.ZodObject<S>> {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const base = attempt(() => loadConfig(serviceEnv));
  const extra = attempt(() => loadConfig(own ?? ({} as S)));
  if (!base || !extra) throw new ConfigError(problems);
  return { ...base, ...extra };
}

/**
 * The life of every service process: configuration, logs, metrics, database
 * and indexes, gRPC server with health, and a graceful stop on SIGTERM/SIGINT
 * (health NOT_SERVING first, then drain in-flight calls, then close).
 */
export async function runService<S extends Record<string, z.ZodType>>(spec: ServiceSpec<S>): Promise<void> {
  const config = loadServiceConfig(spec.env);
  const logger = createLogger(spec.name, config.LOG_LEVEL);
  const identity = new ServiceIdentity(
    spec.name,
    startupSetting('SERVICE_KEY, SERVICE_PUBLIC_KEYS', () => loadServiceKeys(spec.name, config)),
  );
  const transport = startupSetting('GRPC_TLS_CERT_FILE, GRPC_TLS_KEY_FILE, GRPC_TLS_CA_FILE', () => transportFrom(config));
  const metrics = createMetrics(spec.name);
  const metricsServer = await startMetricsServer(metrics.registry, config.GRPC_HOST, config.METRICS_PORT);
  const mongo = createMongoClient(config.MONGODB_URI);
  const setDatabaseReachable = instrumentMongoClient(mongo, metrics.registry);
  const db = mongo.db(config.MONGODB_DB);
  await ensureIndexes(db, typeof spec.indexes === 'function' ? spec.indexes(config) : (spec.indexes ?? []));

  const compareAndSet = new CompareAndSet(metrics.compareAndSetRetries);
  const connect: ServiceContext<unknown>['connect'] = (definition, address, audience, defaultDeadlineMs) =>
    createServiceClient(definition, address, audience, {
      identity,
      defaultDeadlineMs,
      ...(transport.client ? { tls: transport.client } : {}),
    });
  const context = { config, logger, metrics, db: scopedDatabase(db), mongo, compareAndSet, connect, identity } as ServiceContext<
    z.infer<z.ZodObject<S>>
  >;
  const { services, stop: stopBackground } = await spec.register(context);

  const server = createGrpcServer({ logger, identity });
  const health = new Health(services.map((s) => s.name));
  server.addOpen(healthV1.HealthService, health.implementation);
  for (const service of services) server.add(service);
  const port = await server.listen(config.GRPC_HOST, config.GRPC_PORT, transport.server);

  let stopping = false;
  let databaseUp = true;
  let misses = 0;
  health.setDatabase(true);
  health.setServing(true);
  const watchDatabase = setInterval(() => {
    void pingDatabase(db, DB_CHECK_INTERVAL_MS).then((answered) => {
      misses = answered ? 0 : misses + 1;
      const up = answered || misses < DB_MISSES_BEFORE_DOWN;
      if (stopping || up === databaseUp) return;
      databaseUp = up;
      setDatabaseReachable(up);
      health.setDatabase(up);
      health.setServing(up);
      logger[up ? 'info' : 'warn']({ database: up ? 'reachable' : 'unreachable' }, 'database health changed');
    });
  }, DB_CHECK_INTERVAL_MS);

  logger.info({ grpcPort: port, metricsPort: metricsServer.port }, `${spec.name} serving`);

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: draining in-flight calls');
    clearInterval(watchDatabase);
    health.setServing(false);
    const outcome = await server.drain(config.SHUTDOWN_GRACE_MS);
    await stopBackground?.().catch((err: unknown) => logger.error({ err }, 'background work did not stop cleanly'));
    await mongo.close().catch(() => undefined);
    await metricsServer.close();
    await stopTracing();
    logger.info({ outcome }, 'stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/** A setting read at start-up: a problem with it names its variables, as the configuration's do. */
export function startupSetting<T>(variables: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ConfigError([`${variables}: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

/** Start-up failed: say why on stderr (configuration problems name their variables) and exit non-zero. */
export function exitOnStartupFailure(error: unknown): never {
  process.stderr.write(
    error instanceof ConfigError ? `${error.message}\n` : `start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
