import path from 'node:path';
import { ConfigError, loadConfig, port, positiveMs } from '@testmancer/shared';
import { z } from 'zod';

const address = () => z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port');

export const gatewayEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_PORT: port().default(8080),
  CONTENT_ADDR: address(),
  QUIZ_ADDR: address(),
  GEMS_ADDR: address(),
  MEDIA_ADDR: address(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWKS_URL: z.url().optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  FLAGS_FILE: z.string().default(path.resolve(__dirname, '../../../flags/flags.json')),
  GRPC_DEADLINE_MS: positiveMs().default(3_000),
  READY_TIMEOUT_MS: positiveMs().default(1_000),
  RATE_LIMIT_WINDOW_MS: positiveMs().default(60_000),
  RATE_LIMIT_USER_MAX: z.coerce.number().int().positive().default(1_200),
  RATE_LIMIT_ANONYMOUS_MAX: z.coerce.number().int().positive().default(600),
  SHUTDOWN_GRACE_MS: positiveMs().default(10_000),
};

export type GatewayConfig = z.infer<z.ZodObject<typeof gatewayEnv>>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = loadConfig(gatewayEnv, env);
  if (!config.JWT_SECRET && !config.JWKS_URL) {
    throw new ConfigError(['JWT_SECRET or JWKS_URL: one of them must be set (not set)']);
  }
  return config;
}
