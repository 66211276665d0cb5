// Tracing first: it must patch grpc-js and the MongoDB driver before they load.
import { startTracing } from '@testmancer/shared/tracing';
startTracing('media');

import { exitOnStartupFailure, implement, runService } from '@testmancer/shared';
import { mediaV1 } from '@testmancer/proto';

runService({
  name: 'media',
  async register({ logger, metrics }) {
    return {
      services: [
        {
          name: 'testmancer.media.v1.MediaService',
          definition: mediaV1.MediaServiceService,
          implementation: implement(mediaV1.MediaServiceService, {}, { logger, metrics }),
        },
      ],
    };
  },
}).catch(exitOnStartupFailure);
