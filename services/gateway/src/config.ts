import path from 'node:path';
import { ConfigError, DEV_JWT_SECRET, grpcAddress, loadConfig, port, positiveMs, tlsEnv } from '@testmancer/shared';
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
  // A request's budget for the services it calls: every call's deadline is what is left of it.
  GRPC_DEADLINE_MS: positiveMs().default(3_000),
  READY_TIMEOUT_MS: positiveMs().default(1_000),
  RATE_LIMIT_WINDOW_MS: positiveMs().default(60_000),
  RATE_LIMIT_USER_MAX: z.coerce.number().int().positive().default(1_200),
  RATE_LIMIT_ANONYMOUS_MAX: z.coerce.number().int().positive().default(600),
  // Refused tokens of one address in a window; past it, the address is answered 429 before any token is checked.
  RATE_LIMIT_IP_MAX: z.coerce.number().int().positive().default(300),
  // The gateway's Ed25519 key (it signs its calls and the users' tokens for the services) and the services' public keys.
  SERVICE_KEY: z.string().optional(),
  SERVICE_PUBLIC_KEYS: z.string().optional(),
  NODE_ENV: z.string().optional(),
  ...tlsEnv,
  SHUTDOWN_GRACE_MS: positiveMs().default(10_000),
  // Student views are served from the gateway's memory for at most this long: an author's change made through
  // another gateway pod reaches students within it (through this pod, at once). 0 serves every read from the services.
  EDGE_CACHE_MAX_AGE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  // Memory the kept views may take (docs/capacity.md: a published course's views are tens of kilobytes per variant).
  EDGE_CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
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

/** Keys come over https; plain http only from this machine (a local identity provider). */
function isHttpsOrLoopback(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'https:' || (protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname));
  } catch {
    return true; // a malformed URL is reported by its schema
  }
}

/** What token verification needs, besides the variables' own shapes: checked here so that it is reported with every other problem. */
function verificationProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (!env.JWT_SECRET && !env.JWKS_URL) problems.push('JWT_SECRET or JWKS_URL: one of them must be set (not set)');
  if (env.NODE_ENV === 'production' && env.JWT_SECRET === DEV_JWT_SECRET)
    problems.push('JWT_SECRET: the public development secret; refusing to start in production');
  if (env.JWKS_URL) {
    if (!isHttpsOrLoopback(env.JWKS_URL))
      problems.push(`JWKS_URL: must be an https URL (plain http only on a loopback address) (got ${JSON.stringify(env.JWKS_URL)})`);
    if (!env.JWT_ISSUER) problems.push('JWT_ISSUER: required with JWKS_URL (tokens of another issuer must not pass) (not set)');
    if (!env.JWT_AUDIENCE)
      problems.push('JWT_AUDIENCE: required with JWKS_URL (tokens meant for another audience must not pass) (not set)');
  }
  return problems;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const problems = verificationProblems(env);
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
