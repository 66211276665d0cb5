import http from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * One registry per process. The gRPC metric names and labels are the ones
 * Prometheus users already query (go-grpc-prometheus, nice-grpc).
 */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });

  const grpcServerHandled = new Counter({
    name: 'grpc_server_handled_total',
    help: 'RPCs completed on the server, by status code.',
    labelNames: ['grpc_service', 'grpc_method', 'grpc_code'] as const,
    registers: [registry],
  });
  const grpcServerHandling = new Histogram({
    name: 'grpc_server_handling_seconds',
    help: 'Time to handle an RPC on the server.',
    labelNames: ['grpc_service', 'grpc_method'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const grpcClientHandled = new Counter({
    name: 'grpc_client_handled_total',
    help: 'RPCs completed by clients, by status code.',
    labelNames: ['grpc_service', 'grpc_method', 'grpc_code'] as const,
    registers: [registry],
  });
  const grpcClientHandling = new Histogram({
    name: 'grpc_client_handling_seconds',
    help: 'Time from a client call to its response.',
    labelNames: ['grpc_service', 'grpc_method'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  const compareAndSetRetries = new Counter({
    name: 'testmancer_compare_and_set_retries_total',
    help: 'Compare-and-set writes tried again after another writer moved the version first, by operation.',
    labelNames: ['operation'] as const,
    registers: [registry],
  });

  return { registry, grpcServerHandled, grpcServerHandling, grpcClientHandled, grpcClientHandling, compareAndSetRetries };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A bare HTTP listener for Prometheus to scrape a service that otherwise speaks only gRPC. */
export async function startMetricsServer(registry: Registry, host: string, port: number) {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      registry
        .metrics()
        .then((body) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(body);
        })
        .catch(() => {
          res.writeHead(500);
          res.end();
        });
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
