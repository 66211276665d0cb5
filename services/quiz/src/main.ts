// Tracing first: it must patch grpc-js and the MongoDB driver before they load.
import { startTracing } from '@testmancer/shared/tracing';
startTracing('quiz');

import { exitOnStartupFailure, implement, runService } from '@testmancer/shared';
import { quizV1 } from '@testmancer/proto';

runService({
  name: 'quiz',
  async register({ logger, metrics }) {
    return {
      services: [
        {
          name: 'testmancer.quiz.v1.QuizService',
          definition: quizV1.QuizServiceService,
          implementation: implement(quizV1.QuizServiceService, {}, { logger, metrics }),
        },
      ],
    };
  },
}).catch(exitOnStartupFailure);
