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
 *
 * A grant this call has just inserted skips steps 1 to 3 when the outcome of
 * step 4 alone proves them (`applyNew`): a compare-and-set from a version
 * that was written before the entry existed can only succeed if nobody has
 * counted the entry (counting it moves the version; the version is taken
 * before the insert, as a retry of the same grant may count the entry as
 * soon as it exists), and the `lastGrantId`
 * it replaces was marked applied before that version was remembered. So:
 * a user with no balance yet gets one inserted (refused when one exists);
 * a user whose balance this process wrote last is updated from the version
 * it wrote (refused when it moved). Refused: the whole protocol, as above.
 * On the happy path a new grant is three writes and no read.
 */
import { LruMap, unavailable, type CompareAndSet } from '@testmancer/shared';
import { assertSameGrant, legacyGemsNotInLedger, type GrantEntry, type GrantRequest } from '../domain/grant';
import type { LegacyGems } from '../store/legacy-gems';
import type { LedgerStore } from '../store/ledger';

const REPAIR_BATCH = 100;
/** Users whose last balance write this process remembers (a few dozen bytes each). */
const REMEMBERED_BALANCES = 50_000;

export interface GrantOutcome {
  grant: GrantEntry;
  duplicate: boolean;
}

/** A balance as this process wrote it, once the entry it names is marked applied. */
interface Written {
  version: number;
}

export class Ledger {
  private readonly written = new LruMap<string, Written>(REMEMBERED_BALANCES);

  constructor(
    private readonly store: LedgerStore,
    private readonly compareAndSet: CompareAndSet,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
    /** The bridge while both shapes live; undefined once it is switched off (docs/live-migration.md). */
    private readonly legacy?: LegacyGems,
  ) {}

  /**
   * Records the grant once per key and makes sure it is in the balance, also when it was recorded earlier.
   * The balance is not read back: `balanceOf` reads it (with the bridge's legacy part).
   */
  async grant(request: GrantRequest): Promise<GrantOutcome> {
    const entry: GrantEntry = { id: this.newId(), ...request, grantedAt: this.now(), applied: false, inLegacyGems: false };
    // Taken before the insert: a version written once the entry exists may already count it (a retry of this grant).
    const fromVersion = this.written.get(request.userId)?.version ?? 0;
    if (await this.store.insert(entry)) {
      await this.applyNew(entry, fromVersion);
      return { grant: entry, duplicate: false };
    }
    const recorded = await this.store.byKey(request.key);
    // The insert lost to an entry that is gone again: only a hand-made deletion does that.
    if (!recorded) throw unavailable('the grant could not be recorded; retry');
    assertSameGrant(recorded, request);
    await this.apply(recorded);
    return { grant: recorded, duplicate: true };
  }

  /**
   * The balance and the newest entries; an entry left unapplied (by a dead
   * writer, or written so by the migration) is applied first. The history is
   * one sorted, limited query; when it holds fewer entries than asked it holds
   * them all, and the user's unapplied and legacy entries are taken from it,
   * else each is one more query of its own (few entries).
   */
  async balanceOf(userId: string, historyLimit: number): Promise<{ earnedGems: number; history: GrantEntry[] }> {
    const history = await this.store.history(userId, historyLimit);
    const complete = history.length < historyLimit;
    const unapplied = complete ? history.filter((e) => !e.applied).reverse() : await this.store.unappliedOf(userId);
    for (const entry of unapplied) await this.apply(entry);
    const inLegacyGems = complete ? history.filter((e) => e.inLegacyGems) : undefined;
    return { earnedGems: await this.reported(userId, inLegacyGems), history };
  }

  /**
   * The balance as users see it: the ledger's, plus, while the bridge is on, what the monolith paid that the ledger does not
   * hold yet (`inLegacyGems`: the user's entries so marked, when known already).
   */
  private async reported(userId: string, inLegacyGems: readonly GrantEntry[] | undefined): Promise<number> {
    if (!this.legacy) return (await this.store.balance(userId))?.earnedGems ?? 0;
    const [balance, marked, legacyGems] = await Promise.all([
      this.store.balance(userId),
      inLegacyGems ?? this.store.inLegacyGemsOf(userId),
      this.legacy.of(userId),
    ]);
    return (balance?.earnedGems ?? 0) + legacyGemsNotInLedger(marked, legacyGems);
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

  /**
   * An entry this call has just inserted: step 4 first, from no balance or from the version this
   * process wrote last before the insert (see the top of the file), then step 5; refused, the
   * whole protocol.
   */
  private async applyNew(entry: GrantEntry, fromVersion: number): Promise<void> {
    if (await this.store.addToBalance(entry.userId, fromVersion, entry.amount, entry.id)) {
      await this.store.markApplied(entry.id);
      this.written.set(entry.userId, { version: fromVersion + 1 });
      return;
    }
    await this.apply(entry);
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
      this.written.set(entry.userId, { version: (balance?.version ?? 0) + 1 });
      return true;
    });
  }
}
