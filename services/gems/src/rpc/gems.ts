import { registration, type ServiceRegistration } from '@testmancer/shared';
import { gemsV1 } from '@testmancer/proto';
import type { GemsUseCases } from '../application/gems';
import type { GrantEntry } from '../domain/grant';

export interface GemsRpcDependencies {
  gems: GemsUseCases;
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

/** Decode, call one use case, encode. */
export function gemsService({ gems }: GemsRpcDependencies): ServiceRegistration {
  return registration('testmancer.gems.v1.GemsService', gemsV1.GemsServiceService, {
    async grantGems(request, context) {
      const { idempotencyKey: key, userId, amount, source, reason } = request;
      const outcome = await gems.grant(context.service, { key, userId, amount, source, reason });
      // No balance: reading it would cost the grant three more reads (the bridge's included) that its caller does not use.
      return { grant: grantMessage(outcome.grant), balance: 0, duplicate: outcome.duplicate };
    },
    async getBalance(request, context) {
      const { userId, earnedGems, history } = await gems.balance(context.caller, request.userId, request.historyLimit);
      return { userId, earnedGems, history: history.map(grantMessage) };
    },
  });
}
