/**
 * Prints the gateway's OpenAPI document without starting anything: the same
 * routes the gateway serves at /openapi.json, described from their schemas.
 * The web interfaces generate their typed client from it (`make web-api`).
 */
import { loadServiceKeys, ServiceIdentity, transportFrom } from '@testmancer/shared';
import { createClients } from '../clients';
import { loadGatewayConfig } from '../config';
import { createRegistry, openApiDocument } from '../http/openapi';
import { register } from '../http/route';
import { apiRoutes } from '../routes';

// Channels connect on their first call, and nothing here calls: these addresses are never dialled.
const unused = '127.0.0.1:9';
const config = loadGatewayConfig({
  JWT_SECRET: 'the OpenAPI document needs no secret, only a valid config',
  CONTENT_ADDR: unused,
  QUIZ_ADDR: unused,
  GEMS_ADDR: unused,
  MEDIA_ADDR: unused,
});
const clients = createClients(config, new ServiceIdentity('gateway', loadServiceKeys('gateway', {})), transportFrom({}));
const registry = createRegistry();
for (const route of apiRoutes(clients, config)) register(registry, route);
clients.close();
process.stdout.write(`${JSON.stringify(openApiDocument(registry), null, 2)}\n`);
