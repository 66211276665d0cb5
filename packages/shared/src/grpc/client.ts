/**
 * Clients of the services: nice-grpc, with its middleware (outermost
 * first, so attached last): OpenTelemetry spans (when they are exported) · Prometheus metrics
 * (`grpc_client_handled_total`) · the call as this project makes it, in one
 * middleware (each layer costs a generator and its promises on every call:
 * `npm run bench:rpc-hop`): this service's own token, the user's token when
 * the call acts for one, the deadline (the caller's, else the served
 * call's, else the default) sent as the remaining time, the served call's
 * cancellation, and the trailer of a failed call kept on its error (field
 * issues, the error's kind) · the deadline itself (nice-grpc's middleware).
 *
 * Call sites say only who they act for: `content.getCourse({ id }, { caller })`.
 */
import { ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';
import {
  ClientError,
  createChannel,
  createClientFactory,
  Metadata,
  type Client,
  type ClientMiddleware,
  type CompatServiceDefinition,
} from 'nice-grpc';
import { deadlineMiddleware, type DeadlineOptions } from 'nice-grpc-client-middleware-deadline';
import { openTelemetryClientMiddleware } from 'nice-grpc-opentelemetry';
import { prometheusClientMiddleware } from 'nice-grpc-prometheus';
import type { Caller } from '../caller';
import { tracesExported } from '../tracing-exported';
import { SERVICE_TOKEN_METADATA, USER_TOKEN_METADATA, type ServiceIdentity, type ServiceName } from './identity';
import { currentScope, TIMEOUT_METADATA } from './scope';

/** What a call site may say: who the call acts for, and a deadline of its own (an absolute `Date`, or ms from now). */
export interface RpcOptions extends DeadlineOptions {
  caller?: Caller;
}

export interface ClientOptions {
  /** This process, as it proves itself to the callee. */
  identity: ServiceIdentity;
  /** Applied to a call that sets no deadline and serves no call with one. */
  defaultDeadlineMs: number;
  /** TLS for the channel; plaintext without. */
  tls?: ChannelCredentials;
  /** Largest answer taken; lists are cut to fit below it (pagination.ts). */
  maxReceiveBytes?: number;
}

function projectCall(
  identity: ServiceIdentity,
  audience: ServiceName,
  defaultDeadlineMs: number,
): ClientMiddleware<RpcOptions, DeadlineOptions> {
  return async function* projectCall(call, options) {
    const { caller, ...rest } = options;
    const scope = currentScope();
    const deadline =
      options.deadline instanceof Date
        ? options.deadline.getTime()
        : options.deadline !== undefined
          ? Date.now() + options.deadline
          : (scope?.deadline ?? Date.now() + defaultDeadlineMs);
    const metadata = Metadata(options.metadata);
    metadata.set(SERVICE_TOKEN_METADATA, `Bearer ${await identity.serviceToken(audience)}`);
    if (caller?.kind === 'user' && caller.credential) metadata.set(USER_TOKEN_METADATA, caller.credential);
    metadata.set(TIMEOUT_METADATA, String(Math.max(1, deadline - Date.now())));
    const signals = [options.signal, scope?.signal].filter((signal): signal is AbortSignal => signal !== undefined);
    // A failed call keeps the trailer its server sent: the field issues and the error's kind travel in it.
    let trailer: Metadata | undefined;
    try {
      return yield* call.next(call.request, {
        ...rest,
        metadata,
        deadline: new Date(deadline),
        ...(signals.length ? { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) } : {}),
        onTrailer(received) {
          trailer = received;
          options.onTrailer?.(received);
        },
      });
    } catch (error) {
      if (error instanceof ClientError) Object.assign(error, { trailer });
      throw error;
    }
  };
}

/** A service's client, and the channel's end. */
export type ServiceClient<D extends CompatServiceDefinition> = Client<D, RpcOptions> & { close(): void };

export function createServiceClient<D extends CompatServiceDefinition>(
  definition: D,
  address: string,
  audience: ServiceName,
  options: ClientOptions,
): ServiceClient<D> {
  const channelOptions: ChannelOptions = {
    'grpc.keepalive_time_ms': 30_000,
    // Reconnect quickly after a restarted service comes back.
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 2_000,
    // gRPC's own default: answers stay below it by construction (pagination.ts, MAX_ANSWER_BYTES).
    'grpc.max_receive_message_length': options.maxReceiveBytes ?? 4 * 1024 * 1024,
  };
  const channel = createChannel(address, options.tls ?? ChannelCredentials.createInsecure(), channelOptions);
  // nice-grpc invokes the middleware attached last first: the deadline's is the innermost.
  const factory = createClientFactory()
    .use(deadlineMiddleware)
    .use(projectCall(options.identity, audience, options.defaultDeadlineMs))
    .use(prometheusClientMiddleware());
  const client = (tracesExported() ? factory.use(openTelemetryClientMiddleware()) : factory).create(definition, channel);
  return Object.assign(client, { close: () => channel.close() });
}
