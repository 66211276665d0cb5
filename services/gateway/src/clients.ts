import { contentV1, gemsV1, healthV1, mediaV1, quizV1 } from '@testmancer/proto';
import { createServiceClient, type ServiceIdentity, type Transport } from '@testmancer/shared';
import type { GatewayConfig } from './config';

/** A client per service, each proving the gateway's identity on every call; the health checks' own, with the readiness timeout. */
export function createClients(config: GatewayConfig, identity: ServiceIdentity, transport: Transport) {
  const options = { identity, defaultDeadlineMs: config.GRPC_DEADLINE_MS, ...(transport.client ? { tls: transport.client } : {}) };
  const addresses = { content: config.CONTENT_ADDR, quiz: config.QUIZ_ADDR, gems: config.GEMS_ADDR, media: config.MEDIA_ADDR } as const;
  const content = createServiceClient(contentV1.ContentServiceService, addresses.content, 'content', options);
  const quiz = createServiceClient(quizV1.QuizServiceService, addresses.quiz, 'quiz', options);
  const gems = createServiceClient(gemsV1.GemsServiceService, addresses.gems, 'gems', options);
  const media = createServiceClient(mediaV1.MediaServiceService, addresses.media, 'media', options);
  const health = {
    content: createServiceClient(healthV1.HealthService, addresses.content, 'content', {
      ...options,
      defaultDeadlineMs: config.READY_TIMEOUT_MS,
    }),
    quiz: createServiceClient(healthV1.HealthService, addresses.quiz, 'quiz', { ...options, defaultDeadlineMs: config.READY_TIMEOUT_MS }),
    gems: createServiceClient(healthV1.HealthService, addresses.gems, 'gems', { ...options, defaultDeadlineMs: config.READY_TIMEOUT_MS }),
    media: createServiceClient(healthV1.HealthService, addresses.media, 'media', {
      ...options,
      defaultDeadlineMs: config.READY_TIMEOUT_MS,
    }),
  };
  return {
    content,
    quiz,
    gems,
    media,
    health,
    close() {
      for (const client of [content, quiz, gems, media, ...Object.values(health)]) client.close();
    },
  };
}

export type Clients = ReturnType<typeof createClients>;
export type HealthClient = Clients['health']['content'];
