/**
 * The ledger and the balances, kept equal without transactions.
 *
 * A grant is two writes to two documents: the ledger entry (inserted with
 * `applied: false`; its unique `key` makes a repeated grant a no-op) and the
 * user's balance, whose `lastGrantId` names the entry its last change added.
 * An entry is in the balance when it is marked applied or is the balance's
 * `lastGrantId`; a balance's last entry is marked applied only when a later
 * change replaces it. `apply` makes sure an entry is in the balance, adds its
 * amount at most once, and anyone may run it again at any time (a repeated
 * grant, a balance read, the repair):
 *
 *  1. Read the balance. If its `lastGrantId` is this entry, it is in: done.
 *  2. Then read the entry. If it is applied, done.
 *  3. If the balance names a `lastGrantId` not marked applied yet, mark it:
 *     step 4 is about to replace it, and an entry in the balance must stay
 *     marked or last.
 *  4. Compare-and-set on the balance's `version`: add the amount, bump the
 *     version, set `lastGrantId` to this entry. Lost the race: start over.
 *
 * Why an amount is never added twice: if the entry had been counted before
 * step 1 read version v, it was then either `lastGrantId` (seen in step 1) or
 * already marked applied before the balance moved on to v, so before step 2
 * read it. If someone counts it after step 1, the version is no longer v and
 * step 4 fails. Why none is lost: an entry is unapplied and not
 * `lastGrantId` until step 4 succeeds; a grant whose writer died before
 * step 4 is applied by the grant's retry (GrantGems answers only once the
 * amount is in, and its caller, the quiz service's outbox, retries until it
 * does), and the migration's entries, which nobody retries, by the repair.
 * The balance keeps one id, not one per grant, so it never grows.
 *
 * A grant this call has just inserted skips steps 1 to 3 when the outcome of
 * step 4 alone proves them (`applyNew`): a compare-and-set from a version
 * that was written before the entry existed can only succeed if nobody has
 * counted the entry (counting it moves the version; the version is taken
 * before the insert, as a retry of the same grant may count the entry as
 * soon as it exists), and the `lastGrantId` it replaces, which this process
 * wrote with that version, is marked applied by the same command as the
 * insert. So: a user with no balance yet gets one inserted (refused when one
 * exists); a user whose balance this process wrote last is updated from the
 * version it wrote (refused when it moved). Refused: the whole protocol, as
 * above. On the happy path a new grant is two writes and no read.
 */
import { unavailable, type CompareAndSet } from '@testmancer/shared';
import { LRUCache } from 'lru-cache';
import { assertSameGrant, legacyGemsNotInLedger, type GrantEntry, type GrantRequest } from '../domain/grant';
import type { LegacyGems } from '../store/legacy-gems';
import type { LedgerStore } from '../store/ledger';

const REPAIR_BATCH = 100;
/** A balance and its history read again after entries the balance did not count: at most this many times. */
const MAX_BALANCE_READS = 3;
/** Users whose last balance write this process remembers (a few dozen bytes each). */
const REMEMBERED_BALANCES = 50_000;

export interface GrantOutcome {
  grant: GrantEntry;
  duplicate: boolean;
}

/** A balance as this process wrote it: the version and the entry that change added. */
interface Written {
  version: number;
  lastGrantId: string;
}

export class Ledger {
  private readonly written = new LRUCache<string, Written>({ max: REMEMBERED_BALANCES });

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
    const written = this.written.get(request.userId);
    if (await this.store.insert(entry, written?.lastGrantId)) {
      await this.applyNew(entry, written?.version ?? 0);
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
    for (let read = 1; ; read += 1) {
      // The balance before the history: every entry it counts existed when the history was read, so the answer never
      // shows gems without the entry that paid them.
      const balance = await this.store.balance(userId);
      const history = await this.store.history(userId, historyLimit);
      const complete = history.length < historyLimit;
      // Entries this balance does not count: left unapplied (a migration's), or a grant landing since it was read.
      const uncounted = (complete ? history.filter((e) => !e.applied).reverse() : await this.store.unappliedOf(userId)).filter(
        (entry) => entry.id !== balance?.lastGrantId,
      );
      for (const entry of uncounted) await this.apply(entry);
      // They are in the balance now (by this read or by their own grant), not in the one read: read both again.
      if (uncounted.length > 0 && read < MAX_BALANCE_READS) continue;
      const inLegacyGems = complete ? history.filter((e) => e.inLegacyGems) : undefined;
      const settled = uncounted.length > 0 ? await this.store.balance(userId) : balance;
      return { earnedGems: await this.reported(userId, settled?.earnedGems ?? 0, inLegacyGems), history };
    }
  }

  /**
   * The balance as users see it: the ledger's `earnedGems`, plus, while the bridge is on, what the monolith paid that the
   * ledger does not hold yet (`inLegacyGems`: the user's entries so marked, when known already).
   */
  private async reported(userId: string, earnedGems: number, inLegacyGems: readonly GrantEntry[] | undefined): Promise<number> {
    if (!this.legacy) return earnedGems;
    const [marked, legacyGems] = await Promise.all([inLegacyGems ?? this.store.inLegacyGemsOf(userId), this.legacy.of(userId)]);
    return earnedGems + legacyGemsNotInLedger(marked, legacyGems);
  }

  /**
   * Applies every unapplied entry of the migration (run at start-up and
   * periodically); returns how many it looked at. A grant's entry is applied
   * by the grant's retry, and a balance's last one needs nothing.
   */
  async repair(): Promise<number> {
    let seen = 0;
    for (;;) {
      const batch = await this.store.unappliedFromMigration(REPAIR_BATCH);
      for (const entry of batch) await this.apply(entry);
      seen += batch.length;
      if (batch.length < REPAIR_BATCH) return seen;
    }
  }

  /**
   * An entry this call has just inserted: step 4 alone, from no balance or from the version this
   * process wrote last before the insert (see the top of the file); refused, the whole protocol.
   */
  private async applyNew(entry: GrantEntry, fromVersion: number): Promise<void> {
    if (await this.store.addToBalance(entry.userId, fromVersion, entry.amount, entry.id)) {
      this.written.set(entry.userId, { version: fromVersion + 1, lastGrantId: entry.id });
      return;
    }
    await this.apply(entry);
  }

  /** Steps 1 to 4 of the protocol above; a lost step 4 starts over (only concurrent grants to one user compete). */
  private async apply(entry: GrantEntry): Promise<void> {
    // Applied is final: an entry read as applied needs nothing (the usual repeated grant).
    if (entry.applied) return;
    await this.compareAndSet.untilWritten('gem balance', async () => {
      const balance = await this.store.balance(entry.userId);
      if (balance?.lastGrantId === entry.id) return true;
      const current = await this.store.byId(entry.id);
      if (!current || current.applied) return true;
      // Often marked already; on FerretDB a read by id is far cheaper than an update.
      if (balance?.lastGrantId && !(await this.store.byId(balance.lastGrantId))?.applied) await this.store.markApplied(balance.lastGrantId);
      if (!(await this.store.addToBalance(entry.userId, balance?.version ?? 0, entry.amount, entry.id))) return undefined;
      this.written.set(entry.userId, { version: (balance?.version ?? 0) + 1, lastGrantId: entry.id });
      return true;
    });
  }
}
