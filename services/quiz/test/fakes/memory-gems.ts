import type { GemGrant, GemsLedger } from '../../src/clients/gems';

/** The gems ledger in memory: one grant per key, a repeat is a no-op; `down` makes every call fail as an unreachable service would. */
export class MemoryGemsLedger implements GemsLedger {
  readonly grants = new Map<string, GemGrant>();
  down = false;

  async grant(grant: GemGrant): Promise<void> {
    await Promise.resolve();
    if (this.down) throw new Error('gems service unreachable');
    if (!this.grants.has(grant.key)) this.grants.set(grant.key, grant);
  }

  earnedBy(userId: string): number {
    return [...this.grants.values()].filter((g) => g.userId === userId).reduce((sum, g) => sum + g.amount, 0);
  }
}
