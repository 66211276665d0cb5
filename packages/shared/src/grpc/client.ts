import {
  credentials,
  InterceptingCall,
  Metadata,
  status as Status,
  type CallOptions,
  type ChannelOptions,
  type Client,
  type ClientUnaryCall,
  type Interceptor,
  type ServiceError,
} from '@grpc/grpc-js';
import type { Metrics } from '../metrics';

export interface ClientOptions {
  /** Applied to every call that does not set a deadline of its own. */
  defaultDeadlineMs: number;
  metrics?: Metrics;
}

/** Every call gets a deadline: a forgotten one must not hang a request forever. */
function deadlineInterceptor(defaultDeadlineMs: number): Interceptor {
  return (options, nextCall) => {
    if (options.deadline === undefined) options.deadline = Date.now() + defaultDeadlineMs;
    return new InterceptingCall(nextCall(options));
  };
}

function metricsInterceptor(metrics: Metrics): Interceptor {
  return (options, nextCall) => {
    const [, grpcService = '', grpcMethod = ''] = /^\/([^/]+)\/([^/]+)$/.exec(options.method_definition.path) ?? [];
    const started = process.hrtime.bigint();
    return new InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            metrics.grpcClientHandled.inc({ grpc_service: grpcService, grpc_method: grpcMethod, grpc_code: Status[status.code] });
            metrics.grpcClientHandling.observe({ grpc_service: grpcService, grpc_method: grpcMethod }, seconds);
            nextStatus(status);
          },
        });
      },
    });
  };
}

type ClientConstructor<C extends Client> = new (
  address: string,
  creds: ReturnType<typeof credentials.createInsecure>,
  options?: ChannelOptions & { interceptors?: Interceptor[] },
) => C;

export function createClient<C extends Client>(Ctor: ClientConstructor<C>, address: string, options: ClientOptions): C {
  const interceptors = [deadlineInterceptor(options.defaultDeadlineMs)];
  if (options.metrics) interceptors.push(metricsInterceptor(options.metrics));
  return new Ctor(address, credentials.createInsecure(), {
    interceptors,
    'grpc.keepalive_time_ms': 30_000,
    // Reconnect quickly after a restarted service comes back.
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 2_000,
  });
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** Promise form of a generated unary client method: `unary(client.getCourse.bind(client), request)`. */
export function unary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, options: Partial<CallOptions> = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(request, new Metadata(), options, (error, response) => (error ? reject(error) : resolve(response)));
  });
}
