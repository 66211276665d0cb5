import type { Metrics } from '@testmancer/shared';
import { Counter, Gauge, Histogram } from 'prom-client';

export function createQuizMetrics(metrics: Metrics) {
  const registers = [metrics.registry];
  return {
    submissions: new Counter({
      name: 'quiz_submissions_total',
      help: "Attempts submitted, by outcome: first (recorded as the user's first attempt), repeat (a later one), invalid (refused). A replayed request id is not counted again.",
      labelNames: ['outcome'] as const,
      registers,
    }),
    submissionDuration: new Histogram({
      name: 'quiz_submission_duration_seconds',
      help: 'Time to handle SubmitAttempt, including the immediate gem delivery try.',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    grantsPending: new Gauge({
      name: 'quiz_gem_grants_pending',
      help: 'Owed gem grants this process is delivering: all pending grants after each sweep of the attempts, plus those that failed here since.',
      registers,
    }),
    deliveryLag: new Histogram({
      name: 'quiz_gem_grant_delivery_lag_seconds',
      help: 'Time from a first attempt being recorded to its gems being delivered.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    gemsGranted: new Counter({
      name: 'quiz_gems_granted_total',
      help: 'Gems delivered to the gems service for first attempts (each grant counted once).',
      registers,
    }),
  };
}

export type QuizMetrics = ReturnType<typeof createQuizMetrics>;
