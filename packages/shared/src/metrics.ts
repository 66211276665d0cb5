import http from 'node:http';
import { registry as grpcRegistry } from 'nice-grpc-prometheus';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/**
 * One registry per process, serving also the gRPC metrics of nice-grpc's
 * middleware (`grpc_server_handled_total`, `grpc_server_handling_seconds`,
 * `grpc_client_handled_total`, ...: the names Prometheus users already
 * query), all with the process's `service` label.
 */
export function createMetrics(service: string) {
  const own = new Registry();
  own.setDefaultLabels({ service });
  grpcRegistry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: own });
  const registry = Registry.merge([own, grpcRegistry]);

  const compareAndSetRetries = new Counter({
    name: 'testmancer_compare_and_set_retries_total',
    help: 'Compare-and-set writes tried again after another writer moved the version first, by operation.',
    labelNames: ['operation'] as const,
    registers: [registry],
  });

  return { registry, compareAndSetRetries };
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
