import type { Metrics } from '@testmancer/shared';
import { Counter, Histogram } from 'prom-client';

/** The inputs of the media alerts and the dashboard's media panels. */
export function createMediaMetrics(metrics: Metrics) {
  const registers = [metrics.registry];
  return {
    uploads: new Counter({
      name: 'media_uploads_total',
      help: 'Uploads by provider and outcome: stored, rejected (the file or the caller was refused) or failed (the provider or the database failed).',
      labelNames: ['provider', 'outcome'] as const,
      registers,
    }),
    uploadedBytes: new Counter({
      name: 'media_uploaded_bytes_total',
      help: 'Bytes of stored uploads, by provider and kind.',
      labelNames: ['provider', 'kind'] as const,
      registers,
    }),
    uploadDuration: new Histogram({
      name: 'media_upload_duration_seconds',
      help: 'Time from the first byte of an upload to its answer, by provider and outcome.',
      labelNames: ['provider', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    providerErrors: new Counter({
      name: 'media_provider_errors_total',
      help: 'Failed calls to the storage provider, by provider and operation (store, remove, read, sign, inspect).',
      labelNames: ['provider', 'operation'] as const,
      registers,
    }),
    servedBytes: new Counter({
      name: 'media_served_bytes_total',
      help: 'Bytes of stored files sent to readers (local provider).',
      labelNames: ['provider'] as const,
      registers,
    }),
    repaired: new Counter({
      name: 'media_repaired_total',
      help: 'What the repair cleaned up, by what was left: uploading or deleting (a process died mid-way), unconfirmed (a direct upload whose signature expired).',
      labelNames: ['status'] as const,
      registers,
    }),
  };
}

export type MediaMetrics = ReturnType<typeof createMediaMetrics>;
