/**
 * OpenTelemetry start-up. Import this module first in a service's main, before
 * anything that loads http, express or the MongoDB driver, so that the
 * instrumentations can patch them as they load. gRPC spans come from
 * nice-grpc's OpenTelemetry middleware (grpc/server.ts, grpc/client.ts).
 *
 * Spans are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set;
 * without it OpenTelemetry is not started at all (tracing-exported.ts): no
 * spans, no trace context, no trace ids in the logs, and no cost.
 *
 * Kept off the hot path, as the gateway's CPU profile under 1,000 users asked
 * (tracing was about a tenth of its busy time): one trace in ten is recorded
 * unless OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG say otherwise (the
 * others still carry trace ids, into the logs and downstream), and Express's
 * router layers are not instrumented: the HTTP span already names the route.
 */
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { tracesExported } from './tracing-exported';

let sdk: NodeSDK | undefined;

export function startTracing(serviceName: string): void {
  if (sdk || !tracesExported()) return;
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  process.env.OTEL_TRACES_SAMPLER ??= 'parentbased_traceidratio';
  process.env.OTEL_TRACES_SAMPLER_ARG ??= '0.1';
  sdk = new NodeSDK({
    serviceName,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => req.url === '/metrics' }),
      new MongoDBInstrumentation(),
    ],
  });
  sdk.start();
}

export async function stopTracing(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}
