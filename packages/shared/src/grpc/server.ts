import {
  Server,
  ServerCredentials,
  status as Status,
  type sendUnaryData,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { once } from 'node:events';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { toGrpcError } from './status';

type RequestOf<M> = M extends { requestDeserialize: (bytes: Buffer) => infer Req } ? Req : never;
type ResponseOf<M> = M extends { responseSerialize: (value: infer Res) => Buffer } ? Res : never;

/**
 * A service implemented as async functions: unary methods take the request,
 * client-streaming methods take the stream of requests, server-streaming
 * methods return the stream of responses (an async iterable, written with
 * backpressure and closed when the caller cancels). Handlers throw domain
 * errors; the wrapper turns every outcome into a status, a log line and metrics.
 */
export type AsyncService<D extends ServiceDefinition> = {
  [K in keyof D]: D[K] extends { requestStream: true }
    ? (requests: AsyncIterable<RequestOf<D[K]>>, call: ServerReadableStream<RequestOf<D[K]>, ResponseOf<D[K]>>) => Promise<ResponseOf<D[K]>>
    : D[K] extends { responseStream: true }
      ? (request: RequestOf<D[K]>, call: ServerWritableStream<RequestOf<D[K]>, ResponseOf<D[K]>>) => AsyncIterable<ResponseOf<D[K]>>
      : (request: RequestOf<D[K]>, call: ServerUnaryCall<RequestOf<D[K]>, ResponseOf<D[K]>>) => Promise<ResponseOf<D[K]>>;
};

/** Writes every response with backpressure; stops early (closing the iterable) when the caller cancels. */
async function writeAll(responses: AsyncIterable<unknown>, call: ServerWritableStream<unknown, unknown>): Promise<void> {
  for await (const response of responses) {
    if (call.cancelled) return;
    if (!call.write(response)) {
      // Both waits end together, so that neither leaves a listener behind.
      const settled = new AbortController();
      await Promise.race([once(call, 'drain', { signal: settled.signal }), once(call, 'cancelled', { signal: settled.signal })]).finally(
        () => settled.abort(),
      );
    }
  }
}

export function implement<D extends ServiceDefinition>(
  definition: D,
  handlers: Partial<AsyncService<D>>,
  deps: { logger: Logger; metrics: Metrics },
): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    const [, grpcService = '', grpcMethod = name] = /^\/([^/]+)\/([^/]+)$/.exec(method.path) ?? [];
    const handler = handlers[name as keyof D] as unknown as ((input: unknown, call: unknown) => Promise<unknown>) | undefined;
    // grpc-js answers UNIMPLEMENTED for a method left out of the implementation.
    if (!handler) continue;
    const finish = (started: bigint, code: Status) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.grpcServerHandled.inc({ grpc_service: grpcService, grpc_method: grpcMethod, grpc_code: Status[code] });
      deps.metrics.grpcServerHandling.observe({ grpc_service: grpcService, grpc_method: grpcMethod }, seconds);
    };
    const run = (input: unknown, call: unknown, callback: sendUnaryData<unknown>, work = () => handler(input, call)) => {
      const started = process.hrtime.bigint();
      work().then(
        (response) => {
          finish(started, Status.OK);
          // In the RPC's span (the gRPC instrumentation runs the handler in it): the line carries its trace id.
          deps.logger.debug({ code: 'OK', method: method.path }, 'RPC handled');
          callback(null, response);
        },
        (error: unknown) => {
          const grpcError = toGrpcError(error);
          finish(started, grpcError.code);
          if (grpcError.code === Status.INTERNAL) {
            deps.logger.error({ err: error, method: method.path }, 'unhandled error in RPC');
          } else {
            deps.logger.debug({ code: Status[grpcError.code], method: method.path, details: grpcError.details }, 'RPC failed');
          }
          callback(grpcError, null);
        },
      );
    };
    if (method.responseStream) {
      const stream = handler as unknown as (input: unknown, call: unknown) => AsyncIterable<unknown>;
      implementation[name] = (call: ServerWritableStream<unknown, unknown>) =>
        run(
          undefined,
          call,
          (error) => (error ? call.emit('error', error) : call.end()),
          () => writeAll(stream(call.request, call), call),
        );
      continue;
    }
    implementation[name] = method.requestStream
      ? (call: ServerReadableStream<unknown, unknown>, callback: sendUnaryData<unknown>) => run(call, call, callback)
      : (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => run(call.request, call, callback);
  }
  return implementation;
}

export function createGrpcServer(): Server {
  return new Server({
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    'grpc.keepalive_permit_without_calls': 1,
  });
}

export function bindServer(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    );
  });
}

/**
 * Stops accepting calls and lets in-flight ones finish; past the grace period
 * the remaining calls are cancelled.
 */
export function drainServer(server: Server, graceMs: number): Promise<'drained' | 'forced'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve('forced');
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve('drained');
    });
  });
}
