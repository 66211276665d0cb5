/**
 * The local OpenID provider as a process: `make dev` and the sign-in tests
 * start it with their accounts and the interfaces' addresses.
 */
import http from 'node:http';
import { z } from 'zod';
import { Accounts, accountSchema } from './accounts.js';
import { createLocalProvider } from './provider.js';

const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text) => JSON.parse(text) as unknown)
    .pipe(schema);

const env = z
  .object({
    OIDC_ISSUER: z.url(),
    OIDC_AUDIENCE: z.string().min(1),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(1).max(65535),
    OIDC_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(5).default(600),
    OIDC_ACCOUNTS: json(z.array(accountSchema).min(1)),
    OIDC_CLIENTS: json(
      z
        .array(
          z.object({
            clientId: z.string().min(1),
            clientName: z.string().min(1),
            redirectUris: z.array(z.url()).min(1),
            postLogoutRedirectUris: z.array(z.url()),
          }),
        )
        .min(1),
    ),
  })
  .safeParse(process.env);

if (!env.success) {
  process.stderr.write(`local OpenID provider: bad configuration\n${z.prettifyError(env.error)}\n`);
  process.exit(1);
}
const config = env.data;

const server = http.createServer(
  createLocalProvider({
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    clients: config.OIDC_CLIENTS,
    accounts: new Accounts(config.OIDC_ACCOUNTS),
    accessTokenTtlSeconds: config.OIDC_ACCESS_TOKEN_TTL_SECONDS,
  }),
);
server.listen(config.PORT, config.HOST, () => process.stdout.write(`local OpenID provider at ${config.OIDC_ISSUER}\n`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
