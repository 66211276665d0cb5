import { legacy } from '@testmancer/contracts';
import { Steps } from '@testmancer/testing';
import type { Balance, GrantEntry } from '../../src/domain/grant';
import type { LedgerStore } from '../../src/store/ledger';

/**
 * The ledger's storage in memory, with MongoDB's guarantees: each call is one
 * atomic single-document operation (an insert and the mark it carries: one
 * ordered command), `key` is unique. Every call first yields
 * to the event loop (a random number of turns), so that concurrent callers
 * interleave as they would against a database. `crashBefore` makes the n-th
 * call of an operation throw instead of running, as if the process died there.
 */
export class MemoryLedgerStore implements LedgerStore {
  readonly entries = new Map<string, GrantEntry>();
  readonly balances = new Map<string, Balance>();
  /** Yields, counts and crashes each call (`steps.crashBefore('addToBalance')`). */
  readonly steps: Steps<keyof LedgerStore>;

  constructor(random: () => number = Math.random) {
    this.steps = new Steps(random);
  }

  ledgerSum(userId: string): number {
    return [...this.entries.values()].filter((e) => e.userId === userId).reduce((sum, e) => sum + e.amount, 0);
  }

  /** Every entry is in its user's balance: marked applied, or the balance's last. */
  allCounted(): boolean {
    return [...this.entries.values()].every((e) => e.applied || this.balances.get(e.userId)?.lastGrantId === e.id);
  }

  async insert(entry: GrantEntry, counted?: string): Promise<boolean> {
    await this.steps.step('insert');
    if ([...this.entries.values()].some((e) => e.key === entry.key)) return false;
    this.entries.set(entry.id, entry);
    const previous = counted === undefined ? undefined : this.entries.get(counted);
    if (previous) this.entries.set(previous.id, { ...previous, applied: true });
    return true;
  }

  async byKey(key: string): Promise<GrantEntry | undefined> {
    await this.steps.step('byKey');
    return [...this.entries.values()].find((e) => e.key === key);
  }

  async byId(id: string): Promise<GrantEntry | undefined> {
    await this.steps.step('byId');
    return this.entries.get(id);
  }

  async history(userId: string, limit: number): Promise<GrantEntry[]> {
    await this.steps.step('history');
    return [...this.entries.values()]
      .filter((e) => e.userId === userId)
      .sort((a, b) => b.grantedAt.getTime() - a.grantedAt.getTime() || b.id.localeCompare(a.id))
      .slice(0, limit);
  }

  async unappliedOf(userId: string): Promise<GrantEntry[]> {
    await this.steps.step('unappliedOf');
    return [...this.entries.values()].filter((e) => e.userId === userId && !e.applied).sort((a, b) => a.id.localeCompare(b.id));
  }

  async inLegacyGemsOf(userId: string): Promise<GrantEntry[]> {
    await this.steps.step('inLegacyGemsOf');
    return [...this.entries.values()].filter((e) => e.userId === userId && e.inLegacyGems);
  }

  async unappliedFromMigration(limit: number): Promise<GrantEntry[]> {
    await this.steps.step('unappliedFromMigration');
    return [...this.entries.values()]
      .filter((e) => !e.applied && e.source === legacy.MIGRATION_GRANT_SOURCE)
      .sort((a, b) => a.id.localeCompare(b.id))
      .slice(0, limit);
  }

  async markApplied(id: string): Promise<void> {
    await this.steps.step('markApplied');
    const entry = this.entries.get(id);
    if (entry) this.entries.set(id, { ...entry, applied: true });
  }

  async balance(userId: string): Promise<Balance | undefined> {
    await this.steps.step('balance');
    return this.balances.get(userId);
  }

  async addToBalance(userId: string, fromVersion: number, amount: number, grantId: string): Promise<boolean> {
    await this.steps.step('addToBalance');
    const current = this.balances.get(userId);
    if ((current?.version ?? 0) !== fromVersion) return false;
    this.balances.set(userId, { userId, earnedGems: (current?.earnedGems ?? 0) + amount, version: fromVersion + 1, lastGrantId: grantId });
    return true;
  }
}
