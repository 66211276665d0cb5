import path from 'node:path';
import { ConfigError, grpcAddress, loadConfig, port, positiveMs } from '@testmancer/shared';
import { media } from '@testmancer/contracts';
import { z } from 'zod';

export const gatewayEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_PORT: port().default(8080),
  CONTENT_ADDR: grpcAddress(),
  QUIZ_ADDR: grpcAddress(),
  GEMS_ADDR: grpcAddress(),
  MEDIA_ADDR: grpcAddress(),
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
  // Files past this are refused before a byte is read (the media service holds the per-kind limits, at most this).
  MEDIA_UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(Math.max(...Object.values(media.MAX_BYTES))),
  // An upload or a download may take this long, end to end.
  MEDIA_TRANSFER_DEADLINE_MS: positiveMs().default(10 * 60_000),
};

export type GatewayConfig = z.infer<z.ZodObject<typeof gatewayEnv>>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  // Token verification needs one of two variables: checked here so that it is
  // reported together with every other problem.
  const problems = env.JWT_SECRET || env.JWKS_URL ? [] : ['JWT_SECRET or JWKS_URL: one of them must be set (not set)'];
  try {
    const config = loadConfig(gatewayEnv, env);
    if (problems.length > 0) throw new ConfigError(problems);
    return config;
  } catch (error) {
    if (error instanceof ConfigError && problems.length > 0 && !error.problems.includes(problems[0]!)) {
      throw new ConfigError([...error.problems, ...problems]);
    }
    throw error;
  }
}
