/**
 * The static server of one built interface, configured from the environment:
 * WEB_ROOT (the build), PORT, BASE_PATH, API_UPSTREAM to forward /api
 * (local use; in the cluster the Ingress routes /api), and OIDC_ISSUER with
 * OIDC_CLIENT_ID for signing in through an OpenID provider.
 */
import path from 'node:path';
import { createWebServer } from './index';

const root = path.resolve(process.env.WEB_ROOT ?? 'dist');
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '0.0.0.0';
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write(`PORT must be a port number (got ${process.env.PORT})\n`);
  process.exit(2);
}
const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId } = process.env;
if (Boolean(issuer) !== Boolean(clientId) || (issuer && !URL.canParse(issuer))) {
  process.stderr.write(`OIDC_ISSUER (a URL) and OIDC_CLIENT_ID go together (got ${JSON.stringify({ issuer, clientId })})\n`);
  process.exit(2);
}
const server = createWebServer({
  root,
  basePath: process.env.BASE_PATH ?? '/',
  apiUpstream: process.env.API_UPSTREAM || undefined,
  apiOrigin: process.env.API_ORIGIN || undefined,
  oidc: issuer && clientId ? { issuer, clientId } : undefined,
});
server.listen(port, host, () => process.stdout.write(`serving ${root} on ${host}:${port}${process.env.BASE_PATH ?? '/'}\n`));
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
