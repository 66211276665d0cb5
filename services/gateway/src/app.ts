import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Logger } from '@testmancer/shared';
import { parse as parseContentType } from 'content-type';
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Registry } from 'prom-client';
import swaggerUi from 'swagger-ui-express';
import { ANONYMOUS, inScope, type Caller } from '@testmancer/shared';
import { InvalidToken, type TokenVerifier } from './auth/tokens';
import type { GatewayConfig } from './config';
import type { Flags } from './flags';
import { edgeHits, type EdgeCache } from './http/edge-cache';
import { httpMetrics } from './http/metrics';
import { createRegistry, openApiDocument } from './http/openapi';
import { problem, sendProblem } from './http/problem';
import { requestLog } from './http/request-log';
import { hasBody } from './http/validation';
import { mountRoutes, type AnyRoute } from './http/route';
import type { ReadinessReport } from './readiness';

/**
 * The headers of an API answer (JSON, problem+json, a file's bytes): nothing
 * it sends may run, be framed or be sniffed as another type, and it goes over
 * HTTPS only. The page headers (script and style sources, the legacy X-*)
 * concern HTML, which only /docs serves, with helmet's defaults. About 425
 * bytes fewer per answer than helmet's defaults (of some 930).
 */
const apiHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
});

/** JSON bodies are limited to 1 MiB by the contract. */
const JSON_BODY_LIMIT = '1mb';

export interface AppDependencies {
  config: Pick<
    GatewayConfig,
    'RATE_LIMIT_WINDOW_MS' | 'RATE_LIMIT_USER_MAX' | 'RATE_LIMIT_ANONYMOUS_MAX' | 'RATE_LIMIT_IP_MAX' | 'GRPC_DEADLINE_MS'
  >;
  logger: Logger;
  registry: Registry;
  verifyToken: TokenVerifier;
  /** The user's credential for the services (the gateway's user token), given to every call a route makes (a view from the edge needs none). */
  credentialFor: (caller: Extract<Caller, { kind: 'user' }>) => Promise<string>;
  evaluateFlags: (caller: Caller) => Promise<Flags>;
  /** The flags of a caller evaluated already (the evaluator remembers them), without waiting. */
  knownFlags: (caller: Caller) => Flags | undefined;
  checkReadiness(): Promise<ReadinessReport>;
  routes: readonly AnyRoute[];
  /** Student views served at the edge; absent, every request asks the services. */
  edgeCache?: EdgeCache;
}

function authenticate(verifyToken: TokenVerifier): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    if (header === undefined) {
      res.locals.caller = ANONYMOUS;
      next();
      return;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      sendProblem(res, 401, 'the Authorization header must be "Bearer <token>"');
      return;
    }
    verifyToken(match[1]).then(
      (caller) => {
        res.locals.caller = caller;
        next();
      },
      (error: unknown) => {
        sendProblem(res, 401, error instanceof InvalidToken ? error.message : 'the bearer token could not be verified');
      },
    );
  };
}

/**
 * The middleware of every API request as one: the router walks one layer
 * instead of seven on each request (it matches each layer's path again).
 */
function inSequence(...handlers: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (error?: unknown): void => {
      const handler = handlers[index];
      index += 1;
      if (error !== undefined || !handler) {
        next(error);
        return;
      }
      try {
        void handler(req, res, step);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}

/** A declared charset other than UTF-8 (RFC 8259: JSON is UTF-8); an unreadable Content-Type declares none that is usable. */
function declaresOtherCharset(req: Request): boolean {
  try {
    const charset = parseContentType(req.get('content-type') ?? '').parameters.charset?.toLowerCase();
    return charset !== undefined && charset !== 'utf-8';
  } catch {
    return true;
  }
}

/**
 * A body must be UTF-8 JSON (415 otherwise); an empty body is allowed and validated as missing.
 * Multipart bodies pass, unread: upload routes stream them, and every other route refuses them.
 */
const requireJson: RequestHandler = (req, res, next) => {
  if (!hasBody(req) || req.is('multipart/form-data') === 'multipart/form-data') {
    next();
    return;
  }
  if (!req.is('application/json')) {
    sendProblem(res, 415, 'request bodies must be application/json');
    return;
  }
  if (declaresOtherCharset(req)) {
    sendProblem(res, 415, 'JSON request bodies must be UTF-8');
    return;
  }
  next();
};

function tooManyUntil(res: Response, resetTime: Date | undefined): void {
  const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : 60;
  sendProblem(res, 429, 'too many requests; slow down', undefined, { 'Retry-After': String(seconds) });
}

const tooMany = (req: Request, res: Response) =>
  tooManyUntil(res, (req as unknown as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime);

/**
 * Refused credentials per address, looked up before the token is checked:
 * once an address has sent that many bad tokens in a window, its requests
 * cost a lookup, not a signature check each. Only refusals are counted, so
 * many users behind one address (a NAT, a load test) are limited per user,
 * not together, however many of their requests are in flight.
 */
function addressLimiter(config: AppDependencies['config']): RequestHandler {
  const refusals = new MemoryStore();
  refusals.init({ windowMs: config.RATE_LIMIT_WINDOW_MS } as Parameters<MemoryStore['init']>[0]);
  return (req, res, next) => {
    const address = ipKeyGenerator(req.ip ?? '');
    refusals.get(address).then((seen) => {
      if (seen && seen.totalHits >= config.RATE_LIMIT_IP_MAX) {
        tooManyUntil(res, seen.resetTime);
        return;
      }
      res.on('finish', () => {
        if (res.statusCode === 401) void refusals.increment(address);
      });
      next();
    }, next);
  };
}

/** Per user once the token is checked; anonymous callers per address. */
function callerLimiter(config: AppDependencies['config']): RequestHandler {
  return rateLimit({
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    limit: (_req, res) => ((res.locals.caller as Caller).kind === 'user' ? config.RATE_LIMIT_USER_MAX : config.RATE_LIMIT_ANONYMOUS_MAX),
    keyGenerator: (req, res) => {
      const caller = res.locals.caller as Caller;
      return caller.kind === 'user' ? `user:${caller.userId}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
    },
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: tooMany,
  });
}

/**
 * The request's budget, for every call it makes to the services: their
 * deadlines are what is left of it, and they are cancelled when the client
 * goes away before the answer (grpc/scope.ts carries both to the clients).
 */
function requestScope(budgetMs: number): RequestHandler {
  return (_req, res, next) => {
    const cancel = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) cancel.abort();
    });
    inScope({ deadline: Date.now() + budgetMs, signal: cancel.signal }, next);
  };
}

/** Errors raised before a route runs: body parsing, size, encoding. */
const edgeErrors =
  (logger: Logger): ErrorRequestHandler =>
  (error: { type?: string; status?: number }, _req, res, _next) => {
    switch (error.type) {
      case 'entity.too.large':
        return sendProblem(res, 413, `request bodies are limited to ${JSON_BODY_LIMIT}`);
      case 'entity.parse.failed':
        return sendProblem(res, 400, 'the request body is not valid JSON');
      case 'charset.unsupported':
      case 'encoding.unsupported':
        return sendProblem(res, 415, 'unsupported body encoding or charset');
      case 'request.aborted':
        return sendProblem(res, 400, 'the request was aborted');
      default:
        if (error.status && error.status >= 400 && error.status < 500)
          return sendProblem(res, error.status, 'the request could not be read');
        logger.error({ err: error }, 'unhandled error at the edge');
        return sendProblem(res, 500, 'the request could not be completed');
    }
  };

export function createApp(deps: AppDependencies): { app: Express; openapi: ReturnType<typeof openApiDocument> } {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // ETags are versions, set by the routes
  app.set('trust proxy', 'loopback, uniquelocal');
  app.set('query parser', 'simple');
  app.use(apiHeaders);
  app.use(httpMetrics(deps.registry));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', (_req, res) => {
    deps.checkReadiness().then(
      (report) => {
        if (report.ready) {
          res.json({ status: 'ready', checks: report.checks });
          return;
        }
        const failed = Object.entries(report.checks).filter(([, result]) => result !== 'ok');
        const detail = `not ready: ${failed.map(([name, result]) => `${name} ${result}`).join(', ')}`;
        res
          .status(503)
          .set('Retry-After', '5')
          .type('application/problem+json')
          .send(JSON.stringify({ ...problem(503, detail), checks: report.checks }));
      },
      (error: unknown) => {
        deps.logger.error({ err: error }, 'readiness check failed');
        sendProblem(res, 503, 'not ready: the readiness check failed');
      },
    );
  });
  app.get('/metrics', (_req, res) => {
    deps.registry.metrics().then(
      (body) => res.type(deps.registry.contentType).send(body),
      () => sendProblem(res, 500, 'metrics unavailable'),
    );
  });

  // After the probes and the scrape: those would only fill a debug log. The level is set at start.
  if (deps.logger.isLevelEnabled('debug')) app.use(requestLog(deps.logger));
  const registry: OpenAPIRegistry = createRegistry();
  app.use(
    '/api',
    inSequence(
      addressLimiter(deps.config),
      authenticate(deps.verifyToken),
      callerLimiter(deps.config),
      ...(deps.edgeCache ? [edgeHits(deps.edgeCache, deps.knownFlags)] : []),
      requireJson,
      express.json({ limit: JSON_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }),
      // Last: what runs after it (the routes) runs in the scope; the body parser's events would not carry it.
      requestScope(deps.config.GRPC_DEADLINE_MS),
    ),
  );
  // Routes are mounted on the app with their full paths, so that req.route and the OpenAPI paths agree.
  mountRoutes(app, registry, deps.routes, {
    evaluateFlags: deps.evaluateFlags,
    credentialFor: deps.credentialFor,
    logger: deps.logger,
    ...(deps.edgeCache && { edgeCache: deps.edgeCache }),
  });

  const openapi = openApiDocument(registry);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use(
    '/docs',
    // Swagger UI's page (its scripts and styles are files of this origin): helmet's page defaults.
    helmet(),
    swaggerUi.serve,
    swaggerUi.setup(openapi, { customSiteTitle: 'Testmancer API' }),
  );

  app.use((_req, res) => sendProblem(res, 404, 'no such resource'));
  app.use(edgeErrors(deps.logger));
  return { app, openapi };
}
