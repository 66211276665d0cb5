import { z } from 'zod';
import { tlsEnv } from './grpc/tls';

/** Raised when the environment does not satisfy a service's configuration schema. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const port = () => z.coerce.number().int().min(0).max(65535);
export const positiveMs = () => z.coerce.number().int().positive();
/** Another service's gRPC address. */
export const grpcAddress = () => z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port');

/**
 * `LEGACY_BRIDGE`: whether a service reads the monolith's legacy fields
 * beside its own while both shapes live (docs/live-migration.md); on unless
 * `off` (or `false`), switched off once the migration's last catch-up ran.
 */
export const legacyBridge = () =>
  z
    .enum(['on', 'off', 'true', 'false'])
    .default('on')
    .transform((value) => value === 'on' || value === 'true');

/** Variables every service process reads. */
export const serviceEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRPC_HOST: z.string().default('0.0.0.0'),
  GRPC_PORT: port().default(50051),
  METRICS_PORT: port().default(9464),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI'),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a plain database name')
    .default('testmancer'),
  SHUTDOWN_GRACE_MS: positiveMs().default(10_000),
  // This process's Ed25519 key and the public keys of the services it trusts (grpc/identity.ts); development keys stand in outside production.
  SERVICE_KEY: z.string().optional(),
  SERVICE_PUBLIC_KEYS: z.string().optional(),
  NODE_ENV: z.string().optional(),
  ...tlsEnv,
};

/**
 * Parses the environment once at start-up. Every problem names its variable,
 * so that a bad deployment says exactly what to fix.
 */
export function loadConfig<S extends z.ZodRawShape>(shape: S, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const variable = issue.path.join('.');
        const value = env[variable];
        return value === undefined
          ? `${variable}: ${issue.message} (not set)`
          : `${variable}: ${issue.message} (got ${JSON.stringify(value)})`;
      }),
    );
  }
  return result.data;
}
