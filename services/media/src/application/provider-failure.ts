import { unavailable, type Logger } from '@testmancer/shared';
import type { MediaMetrics } from '../metrics';
import { ProviderError, type MediaProvider } from '../providers/provider';

/** A provider's failure as callers see it (503, try again), counted and logged; other errors pass as they are. */
export function providerFailure(error: unknown, deps: { provider: MediaProvider; metrics: MediaMetrics; logger: Logger }): Error {
  if (!(error instanceof ProviderError)) return error instanceof Error ? error : new Error(String(error));
  deps.metrics.providerErrors.inc({ provider: deps.provider.name, operation: error.operation });
  deps.logger.warn({ err: error, provider: deps.provider.name, operation: error.operation }, 'the media provider failed');
  return unavailable(`the media provider failed: ${error.message}; try again later`);
}
