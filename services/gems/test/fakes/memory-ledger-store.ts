import type { Balance, GrantEntry } from '../../src/domain/grant';
import type { LedgerStore } from '../../src/store/ledger';

type Operation = keyof LedgerStore;

/**
 * The ledger's storage in memory, with MongoDB's guarantees: each call is one
 * atomic single-document operation, `key` is unique. Every call first yields
 * to the event loop (a random number of turns), so that concurrent callers
 * interleave as they would against a database. `crashBefore` makes the n-th
 * call of an operation throw instead of running, as if the process died there.
 */
export class MemoryLedgerStore implements LedgerStore {
  readonly entries = new Map<string, GrantEntry>();
  readonly balances = new Map<string, Balance>();
  private readonly crashes = new Map<Operation, number>();
  private readonly calls = new Map<Operation, number>();

  constructor(private readonly random: () => number = Math.random) {}

  /** The `nth` (1-based, counted from now) call of `operation` throws. */
  crashBefore(operation: Operation, nth = 1): void {
    this.crashes.set(operation, (this.calls.get(operation) ?? 0) + nth);
  }

  callsOf(operation: Operation): number {
    return this.calls.get(operation) ?? 0;
  }

  ledgerSum(userId: string): number {
    return [...this.entries.values()].filter((e) => e.userId === userId).reduce((sum, e) => sum + e.amount, 0);
  }

  private async step(operation: Operation): Promise<void> {
    const turns = Math.floor(this.random() * 3);
    for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
    const count = (this.calls.get(operation) ?? 0) + 1;
    this.calls.set(operation, count);
    if (this.crashes.get(operation) === count) throw new Error(`simulated crash before ${operation}`);
  }

  async insert(entry: GrantEntry): Promise<boolean> {
    await this.step('insert');
    if ([...this.entries.values()].some((e) => e.key === entry.key)) return false;
    this.entries.set(entry.id, entry);
    return true;
  }

  async byKey(key: string): Promise<GrantEntry | undefined> {
    await this.step('byKey');
    return [...this.entries.values()].find((e) => e.key === key);
  }

  async byId(id: string): Promise<GrantEntry | undefined> {
    await this.step('byId');
    return this.entries.get(id);
  }

  async entriesOf(userId: string): Promise<GrantEntry[]> {
    await this.step('entriesOf');
    return [...this.entries.values()]
      .filter((e) => e.userId === userId)
      .sort((a, b) => b.grantedAt.getTime() - a.grantedAt.getTime() || b.id.localeCompare(a.id));
  }

  async unapplied(limit: number): Promise<GrantEntry[]> {
    await this.step('unapplied');
    return [...this.entries.values()].filter((e) => !e.applied).slice(0, limit);
  }

  async markApplied(id: string): Promise<void> {
    await this.step('markApplied');
    const entry = this.entries.get(id);
    if (entry) this.entries.set(id, { ...entry, applied: true });
  }

  async balance(userId: string): Promise<Balance | undefined> {
    await this.step('balance');
    return this.balances.get(userId);
  }

  async addToBalance(userId: string, fromVersion: number, amount: number, grantId: string): Promise<boolean> {
    await this.step('addToBalance');
    const current = this.balances.get(userId);
    if ((current?.version ?? 0) !== fromVersion) return false;
    this.balances.set(userId, { userId, earnedGems: (current?.earnedGems ?? 0) + amount, version: fromVersion + 1, lastGrantId: grantId });
    return true;
  }
}
