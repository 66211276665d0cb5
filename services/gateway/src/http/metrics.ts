import { Counter, Histogram, type Registry } from 'prom-client';
import type { Request, RequestHandler } from 'express';

/**
 * The template of the route that answered (`/api/courses/:courseId`), also for a view served from the edge
 * before routing, or `unmatched`; Express types `req.route` as `any`.
 */
export function routeTemplate(req: Request): string {
  const route: unknown = req.route;
  const path: unknown = typeof route === 'object' && route !== null && 'path' in route ? route.path : req.res?.locals.edgeRoute;
  return typeof path === 'string' ? path : 'unmatched';
}

/**
 * Request rate, errors and latency by route template (never the raw URL, whose
 * ids would explode the label set): the inputs of the error-rate and latency alerts.
 */
export function httpMetrics(registry: Registry): RequestHandler {
  const requests = new Counter({
    name: 'http_server_requests_total',
    help: 'HTTP requests answered by the gateway.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Time to answer an HTTP request.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const labels = { method: req.method, route: routeTemplate(req), status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
