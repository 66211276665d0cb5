import type { Caller } from '@testmancer/shared';
import { assertMayGrant, balanceOwner, historyLimit, validateGrant, type GrantEntry, type GrantRequest } from '../domain/grant';
import type { GemsMetrics } from '../metrics';
import type { GrantOutcome, Ledger } from './ledger';

/** The gems service's use cases: what its RPCs do, with the rules applied and the outcome counted. */
export class GemsUseCases {
  constructor(
    private readonly ledger: Ledger,
    private readonly metrics: GemsMetrics,
  ) {}

  /** `service`: the calling service, verified; only the quiz service grants. */
  async grant(service: string, request: GrantRequest): Promise<GrantOutcome> {
    assertMayGrant(service);
    const outcome = await this.ledger.grant(validateGrant(request));
    this.metrics.grants.inc({ result: outcome.duplicate ? 'duplicate' : 'granted' });
    if (!outcome.duplicate) this.metrics.gemsGranted.inc(outcome.grant.amount);
    return outcome;
  }

  async balance(
    caller: Caller,
    requestedUserId: string,
    requestedHistory: number,
  ): Promise<{ userId: string; earnedGems: number; history: GrantEntry[] }> {
    const userId = balanceOwner(caller, requestedUserId);
    return { userId, ...(await this.ledger.balanceOf(userId, historyLimit(requestedHistory))) };
  }
}
