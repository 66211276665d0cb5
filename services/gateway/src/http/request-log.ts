import type { Logger } from '@testmancer/shared';
import type { RequestHandler } from 'express';
import { routeTemplate } from './metrics';

/**
 * One debug line per answered request (method, route template, status, time),
 * carrying the request's trace id like every line: with LOG_LEVEL=debug a
 * trace found in the collector leads to its log lines and back. Mounted
 * only when the level at start is debug.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // The HTTP instrumentation binds the response to the request's span, so this listener runs in it.
    res.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug(
        { method: req.method, route: routeTemplate(req), status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request answered',
      );
    });
    next();
  };
}
