// Tracing first: it must patch grpc-js and the MongoDB driver before they load.
import { startTracing } from '@testmancer/shared/tracing';
startTracing('gems');

import { exitOnStartupFailure, implement, runService } from '@testmancer/shared';
import { gemsV1 } from '@testmancer/proto';

runService({
  name: 'gems',
  async register({ logger, metrics }) {
    return {
      services: [
        {
          name: 'testmancer.gems.v1.GemsService',
          definition: gemsV1.GemsServiceService,
          implementation: implement(gemsV1.GemsServiceService, {}, { logger, metrics }),
        },
      ],
    };
  },
}).catch(exitOnStartupFailure);
