/**
 * The ledger and the balances, kept equal without transactions.
 *
 * A grant is two writes to two documents: the ledger entry (inserted with
 * `applied: false`; its unique `key` makes a repeated grant a no-op) and the
 * user's balance. The process may die between them, so every entry is
 * applied to the balance by `apply`, which any caller may run again at any
 * time (a repeated grant, the start-up and periodic repair, a balance read)
 * and which adds an entry's amount at most once:
 *
 *  1. Read the balance. If its `lastGrantId` is this entry, the amount is in
 *     already (a writer died before step 5): mark the entry applied, done.
 *  2. Then read the entry. If it is applied, done.
 *  3. If the balance names a `lastGrantId` not marked applied yet, mark it:
 *     an entry counted in the balance is always either marked applied or the
 *     balance's `lastGrantId`, and step 4 is about to replace it.
 *  4. Compare-and-set on the balance's `version`: add the amount, bump the
 *     version, set `lastGrantId` to this entry. Lost the race: start over.
 *  5. Mark the entry applied.
 *
 * Why an amount is never added twice: if the entry had been counted before
 * step 1 read version v, it was then either `lastGrantId` (seen in step 1) or
 * already marked applied before the balance moved on to v, so before step 2
 * read it. If someone counts it after step 1, the version is no longer v and
 * step 4 fails. Why none is lost: an entry is unapplied and not
 * `lastGrantId` until step 4 succeeds, and the repair finds every unapplied
 * entry. The balance keeps one id, not one per grant, so it never grows.
 */
import { unavailable, type CompareAndSet } from '@testmancer/shared';
import { assertSameGrant, legacyGemsNotInLedger, type GrantEntry, type GrantRequest } from '../domain/grant';
import type { LegacyGems } from '../store/legacy-gems';
import type { LedgerStore } from '../store/ledger';

const REPAIR_BATCH = 100;

export interface GrantOutcome {
  grant: GrantEntry;
  duplicate: boolean;
  balance: number;
}

export class Ledger {
  constructor(
    private readonly store: LedgerStore,
    private readonly compareAndSet: CompareAndSet,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
    /** The bridge while both shapes live; undefined once it is switched off (docs/live-migration.md). */
    private readonly legacy?: LegacyGems,
  ) {}

  /** Records the grant once per key and makes sure it is in the balance, also when it was recorded earlier. */
  async grant(request: GrantRequest): Promise<GrantOutcome> {
    const entry: GrantEntry = { id: this.newId(), ...request, grantedAt: this.now(), applied: false, inLegacyGems: false };
    const inserted = await this.store.insert(entry);
    const recorded = inserted ? entry : await this.store.byKey(request.key);
    // The insert lost to an entry that is gone again: only a hand-made deletion does that.
    if (!recorded) throw unavailable('the grant could not be recorded; retry');
    if (!inserted) assertSameGrant(recorded, request);
    await this.apply(recorded);
    return { grant: recorded, duplicate: !inserted, balance: await this.reported(request.userId) };
  }

  /**
   * The balance and the newest entries; an entry left unapplied (by a dead
   * writer, or written so by the migration) is applied first.
   */
  async balanceOf(userId: string, historyLimit: number): Promise<{ earnedGems: number; history: GrantEntry[] }> {
    const entries = await this.store.entriesOf(userId);
    for (const entry of entries.filter((e) => !e.applied).reverse()) await this.apply(entry);
    return { earnedGems: await this.reported(userId, entries), history: entries.slice(0, historyLimit) };
  }

  /** The balance as users see it: the ledger's, plus, while the bridge is on, what the monolith paid that the ledger does not hold yet. */
  private async reported(userId: string, entries?: readonly GrantEntry[]): Promise<number> {
    if (!this.legacy) return (await this.store.balance(userId))?.earnedGems ?? 0;
    const [balance, all, legacyGems] = await Promise.all([
      this.store.balance(userId),
      entries ?? this.store.entriesOf(userId),
      this.legacy.of(userId),
    ]);
    return (balance?.earnedGems ?? 0) + legacyGemsNotInLedger(all, legacyGems);
  }

  /** Applies every unapplied entry (run at start-up and periodically); returns how many it looked at. */
  async repair(): Promise<number> {
    let seen = 0;
    for (;;) {
      const batch = await this.store.unapplied(REPAIR_BATCH);
      for (const entry of batch) await this.apply(entry);
      seen += batch.length;
      if (batch.length < REPAIR_BATCH) return seen;
    }
  }

  /** Steps 1 to 5 of the protocol above; a lost step 4 starts over (only concurrent grants to one user compete). */
  private async apply(entry: GrantEntry): Promise<void> {
    // Applied is final: an entry read as applied needs nothing (the usual repeated grant).
    if (entry.applied) return;
    await this.compareAndSet.untilWritten('gem balance', async () => {
      const balance = await this.store.balance(entry.userId);
      if (balance?.lastGrantId === entry.id) return this.store.markApplied(entry.id).then(() => true);
      const current = await this.store.byId(entry.id);
      if (!current || current.applied) return true;
      // Usually marked already; on FerretDB a read by id is far cheaper than an update.
      if (balance?.lastGrantId && !(await this.store.byId(balance.lastGrantId))?.applied) await this.store.markApplied(balance.lastGrantId);
      if (!(await this.store.addToBalance(entry.userId, balance?.version ?? 0, entry.amount, entry.id))) return undefined;
      await this.store.markApplied(entry.id);
      return true;
    });
  }
}
