import { contentV1, gemsV1, healthV1, mediaV1, quizV1 } from '@testmancer/proto';
import { createClient, type Metrics } from '@testmancer/shared';
import type { GatewayConfig } from './config';

/** One channel per service, shared by its API client and its health client. */
export function createClients(config: GatewayConfig, metrics: Metrics) {
  const options = { defaultDeadlineMs: config.GRPC_DEADLINE_MS, metrics };
  const addresses = { content: config.CONTENT_ADDR, quiz: config.QUIZ_ADDR, gems: config.GEMS_ADDR, media: config.MEDIA_ADDR };
  const content = createClient(contentV1.ContentServiceClient, addresses.content, options);
  const quiz = createClient(quizV1.QuizServiceClient, addresses.quiz, options);
  const gems = createClient(gemsV1.GemsServiceClient, addresses.gems, options);
  const media = createClient(mediaV1.MediaServiceClient, addresses.media, options);
  const health = Object.fromEntries(
    Object.entries(addresses).map(([name, address]) => [
      name,
      createClient(healthV1.HealthClient, address, { defaultDeadlineMs: config.READY_TIMEOUT_MS }),
    ]),
  ) as Record<keyof typeof addresses, healthV1.HealthClient>;
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
