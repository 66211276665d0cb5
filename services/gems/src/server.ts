import { callerFromProto, implement, type Logger, type Metrics, type ServiceRegistration } from '@testmancer/shared';
import { gemsV1 } from '@testmancer/proto';
import { balanceOwner, historyLimit, validateGrant, type GrantEntry } from './domain/grant';
import type { Ledger } from './ledger';
import type { GemsMetrics } from './metrics';

export interface GemsDependencies {
  ledger: Ledger;
  gemsMetrics: GemsMetrics;
  logger: Logger;
  metrics: Metrics;
}

const grantMessage = (entry: GrantEntry): gemsV1.Grant => ({
  id: entry.id,
  idempotencyKey: entry.key,
  userId: entry.userId,
  amount: entry.amount,
  source: entry.source,
  reason: entry.reason,
  grantedAt: entry.grantedAt,
});

/** gRPC wiring only: decode, call the domain and the ledger, encode. */
export function gemsService(deps: GemsDependencies): ServiceRegistration {
  return {
    name: 'testmancer.gems.v1.GemsService',
    definition: gemsV1.GemsServiceService,
    implementation: implement(
      gemsV1.GemsServiceService,
      {
        async grantGems(request) {
          const grant = validateGrant({
            key: request.idempotencyKey,
            userId: request.userId,
            amount: request.amount,
            source: request.source,
            reason: request.reason,
          });
          const outcome = await deps.ledger.grant(grant);
          deps.gemsMetrics.grants.inc({ result: outcome.duplicate ? 'duplicate' : 'granted' });
          if (!outcome.duplicate) deps.gemsMetrics.gemsGranted.inc(outcome.grant.amount);
          return { grant: grantMessage(outcome.grant), balance: outcome.balance, duplicate: outcome.duplicate };
        },
        async getBalance(request) {
          const userId = balanceOwner(callerFromProto(request.caller), request.userId);
          const { earnedGems, history } = await deps.ledger.balanceOf(userId, historyLimit(request.historyLimit));
          return { userId, earnedGems, history: history.map(grantMessage) };
        },
      },
      deps,
    ),
  };
}
