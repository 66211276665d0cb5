import type { ServiceClient } from '@testmancer/shared';
import type { gemsV1 } from '@testmancer/proto';

/** One grant as the gems ledger takes it: `key` makes a repeat a no-op. */
export interface GemGrant {
  readonly key: string;
  readonly userId: string;
  readonly amount: number;
  readonly source: string;
  readonly reason: string;
}

/** The gems service as grant delivery needs it. */
export interface GemsLedger {
  /** Resolves once the ledger holds the grant (now or from before); rejects when it could not tell within `timeoutMs`. */
  grant(grant: GemGrant, timeoutMs: number): Promise<void>;
}

export class GrpcGemsLedger implements GemsLedger {
  constructor(private readonly client: ServiceClient<typeof gemsV1.GemsServiceService>) {}

  async grant(grant: GemGrant, timeoutMs: number): Promise<void> {
    await this.client.grantGems(
      { idempotencyKey: grant.key, userId: grant.userId, amount: grant.amount, source: grant.source, reason: grant.reason },
      { deadline: timeoutMs },
    );
  }
}
