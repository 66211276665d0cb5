/**
 * The gRPC server of every service: nice-grpc, with its middleware in this
 * order (outermost first):
 *   OpenTelemetry spans (when they are exported) · Prometheus metrics (`grpc_server_handled_total`,
 *   `grpc_server_handling_seconds`) · errors (a domain error becomes its
 *   status, anything else a bare INTERNAL with the cause only in the log) ·
 *   for the application's services, not for health, the served call:
 *   credentials (the calling service and the user it acts for, verified:
 *   identity.ts), storable strings, and the call's scope (its deadline and
 *   cancellation, for what the handler does: scope.ts).
 * Handlers are async functions of (request, context): `context.caller`,
 * `context.service`, `context.signal`.
 */
import { ServerCredentials, type ChannelOptions } from '@grpc/grpc-js';
import { isAbortError } from 'abort-controller-x';
import {
  createServer,
  ServerError,
  Status,
  type CallContext,
  type CompatServiceDefinition,
  type Server,
  type ServerMiddleware,
  type ServiceImplementation,
} from 'nice-grpc';
import { openTelemetryServerMiddleware } from 'nice-grpc-opentelemetry';
import { prometheusServerMiddleware } from 'nice-grpc-prometheus';
import type { Caller } from '../caller';
import { tracesExported } from '../tracing-exported';
import { invalid } from '../errors';
import { nulCharacterIssues } from '../storable';
import type { Logger } from '../logger';
import { InvalidCredential, SERVICE_TOKEN_METADATA, USER_TOKEN_METADATA, type ServiceIdentity } from './identity';
import { CallCancelled, inScope, TIMEOUT_METADATA } from './scope';
import { toGrpcError } from './status';

/** What a handler knows of its call beyond the request. */
export interface RpcContext {
  /** The user the call acts for, verified (anonymous when none). */
  readonly caller: Caller;
  /** The service that called, verified. */
  readonly service: string;
}

export type RpcCallContext = CallContext & RpcContext;

/** A service as a process offers it: its name (for health), its definition and its handlers. */
export interface ServiceRegistration {
  readonly name: string;
  readonly definition: CompatServiceDefinition;
  readonly implementation: ServiceImplementation<CompatServiceDefinition, RpcContext>;
}

/**
 * Typed at the definition, kept as a registration. A method left out
 * answers UNIMPLEMENTED (the gateway's 501), as a newer caller may ask for one.
 */
export function registration<D extends CompatServiceDefinition>(
  name: string,
  definition: D,
  implementation: Partial<ServiceImplementation<D, RpcContext>>,
): ServiceRegistration {
  const unimplemented = () => new ServerError(Status.UNIMPLEMENTED, 'not implemented');
  const complete: Record<string, unknown> = { ...implementation };
  for (const [method, { responseStream }] of Object.entries(definition as Record<string, { responseStream: boolean }>)) {
    complete[method] ??= responseStream
      ? async function* () {
          yield* [];
          throw unimplemented();
        }
      : () => Promise.reject(unimplemented());
  }
  return { name, definition, implementation: complete };
}

/** Every failure becomes a status: domain errors theirs (field issues and kinds in the trailer), anything else INTERNAL, logged. */
function errorsMiddleware(logger: Logger): ServerMiddleware {
  return async function* errors(call, context) {
    try {
      const response = yield* call.next(call.request, context);
      // In the RPC's span (the OpenTelemetry middleware runs the rest in it): the line carries its trace id.
      logger.debug({ code: 'OK', method: call.method.path }, 'RPC handled');
      return response;
    } catch (error: unknown) {
      if (error instanceof ServerError) throw error;
      if (isAbortError(error) || context.signal.aborted) {
        logger.info({ method: call.method.path }, 'call cancelled: its caller gave up or its deadline passed; the work stopped');
        throw error;
      }
      const grpcError = toGrpcError(error);
      for (const [key, value] of Object.entries(grpcError.trailers)) context.trailer.set(key, value);
      if (grpcError.code === Status.INTERNAL) logger.error({ err: error, method: call.method.path }, 'unhandled error in RPC');
      else logger.debug({ code: Status[grpcError.code], method: call.method.path, details: grpcError.details }, 'RPC failed');
      throw new ServerError(grpcError.code, grpcError.details);
    }
  };
}

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * What the application's services need around every handler, in one
 * middleware (each of nice-grpc's layers costs a generator and its promises
 * on every call; measured with `npm run bench:rpc-hop`):
 * - the call's credentials, verified: a call without valid ones is refused
 *   before any handler runs;
 * - a request with a string the database cannot store is refused (streams:
 *   by their own checks);
 * - the handler runs in the call's scope: its deadline (from the caller's
 *   remaining time) and its cancellation. Each step of the handler's
 *   generator runs in the scope (AsyncLocalStorage follows its awaits).
 */
function servedCall(identity: ServiceIdentity): ServerMiddleware<RpcContext> {
  return async function* served(call, context) {
    const bearer = single(context.metadata.get(SERVICE_TOKEN_METADATA));
    const serviceToken = bearer?.startsWith('Bearer ') ? bearer.slice('Bearer '.length) : undefined;
    let verified;
    try {
      verified = await identity.verify(serviceToken, single(context.metadata.get(USER_TOKEN_METADATA)));
    } catch (error) {
      if (error instanceof InvalidCredential) throw new ServerError(Status.UNAUTHENTICATED, error.message);
      throw error;
    }
    if (!call.requestStream) {
      const issues = nulCharacterIssues(call.request);
      if (issues.length > 0) throw invalid('the request contains the character U+0000', issues);
    }
    const timeoutMs = Number(context.metadata.get(TIMEOUT_METADATA));
    const scope = { deadline: Number.isFinite(timeoutMs) && timeoutMs > 0 ? Date.now() + timeoutMs : undefined, signal: context.signal };
    if (context.signal.aborted) throw new CallCancelled();
    const steps = call.next(call.request, { ...context, caller: verified.caller, service: verified.service });
    for (;;) {
      const step = await inScope(scope, () => steps.next());
      if (step.done) return step.value;
      yield step.value;
    }
  };
}

export interface GrpcServerOptions {
  logger: Logger;
  identity: ServiceIdentity;
  /** Largest message a service takes (an upload chunk, a list request). */
  maxReceiveBytes?: number;
}

export interface GrpcServer {
  /** The application's services: credentials required. */
  add(service: ServiceRegistration): void;
  /** Health and other open services: no credentials (probes, the gateway's readiness). */
  addOpen<D extends CompatServiceDefinition>(definition: D, implementation: ServiceImplementation<D>): void;
  listen(host: string, port: number, credentials?: ServerCredentials): Promise<number>;
  /** Stops taking calls; in-flight ones finish, or are cancelled past `graceMs`. */
  drain(graceMs: number): Promise<'drained' | 'forced'>;
}

export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const channelOptions: ChannelOptions = {
    'grpc.max_receive_message_length': options.maxReceiveBytes ?? 16 * 1024 * 1024,
    'grpc.keepalive_permit_without_calls': 1,
  };
  const base = createServer(channelOptions);
  const server: Server = (tracesExported() ? base.use(openTelemetryServerMiddleware()) : base)
    .use(prometheusServerMiddleware())
    .use(errorsMiddleware(options.logger));
  const authenticated = server.with(servedCall(options.identity));
  return {
    add: (service) => authenticated.add(service.definition, service.implementation),
    addOpen: (definition, implementation) => server.add(definition, implementation),
    listen: (host, port, credentials = ServerCredentials.createInsecure()) => server.listen(`${host}:${String(port)}`, credentials),
    async drain(graceMs) {
      let timer: NodeJS.Timeout | undefined;
      const forced = new Promise<'forced'>((resolve) => {
        timer = setTimeout(() => {
          server.forceShutdown();
          resolve('forced');
        }, graceMs);
      });
      const outcome = await Promise.race([server.shutdown().then(() => 'drained' as const), forced]);
      clearTimeout(timer);
      return outcome;
    },
  };
}
