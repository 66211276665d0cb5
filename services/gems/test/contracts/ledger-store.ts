/**
 * What every LedgerStore promises, as the ledger's protocol relies on it
 * (../../src/application/ledger.ts): run against the in-memory fake
 * (store/ledger-store.test.ts) and against the MongoDB adapter on the local
 * database (store/ledger-store.int.test.ts).
 */
import { legacy } from '@testmancer/contracts';
import { ObjectId } from 'mongodb';
import type { GrantEntry } from '../../src/domain/grant';
import type { LedgerStore } from '../../src/store/ledger';

const newId = () => new ObjectId().toHexString();

export function ledgerStoreContract(open: () => Promise<LedgerStore> | LedgerStore): void {
  let store: LedgerStore;
  let userId: string;
  const entry = (extra: Partial<GrantEntry> = {}): GrantEntry => ({
    id: newId(),
    key: `quiz:${newId()}:user:${userId}`,
    userId,
    amount: 5,
    source: 'quiz',
    reason: 'first attempt',
    grantedAt: new Date('2026-12-07T10:00:00.000Z'),
    applied: false,
    inLegacyGems: false,
    ...extra,
  });

  beforeEach(async () => {
    store = await open();
    userId = newId();
  });

  test('an entry is read back by id and by key as it was written; a second entry with its key is refused', async () => {
    const first = entry({ inLegacyGems: true });
    expect(await store.insert(first)).toBe(true);
    expect(await store.insert(entry({ key: first.key, amount: 9 }))).toBe(false);
    expect(await store.byId(first.id)).toEqual(first);
    expect(await store.byKey(first.key)).toEqual(first);
    expect(await store.byKey(`quiz:${newId()}`)).toBeUndefined();
  });

  test('an insert that counts an earlier entry marks it applied; a refused insert marks nothing', async () => {
    const earlier = entry();
    const taken = entry();
    await store.insert(earlier);
    await store.insert(taken);
    expect(await store.insert(entry({ key: taken.key }), earlier.id)).toBe(false);
    expect((await store.byId(earlier.id))?.applied).toBe(false);
    const next = entry();
    expect(await store.insert(next, earlier.id)).toBe(true);
    expect((await store.byId(earlier.id))?.applied).toBe(true);
    expect((await store.byId(next.id))?.applied).toBe(false);
  });

  test('history: the newest entries first (ties: the later id first), at most the limit, of that user only', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 10, minute));
    const oldest = entry({ grantedAt: at(1) });
    const tieFirst = entry({ grantedAt: at(2) });
    const tieSecond = entry({ grantedAt: at(2) });
    const newest = entry({ grantedAt: at(3) });
    for (const one of [tieSecond, oldest, newest, tieFirst]) await store.insert(one);
    await store.insert({ ...entry(), userId: newId() });
    expect((await store.history(userId, 10)).map((one) => one.id)).toEqual([newest.id, tieSecond.id, tieFirst.id, oldest.id]);
    expect((await store.history(userId, 2)).map((one) => one.id)).toEqual([newest.id, tieSecond.id]);
  });

  test("unapplied, legacy-paid and the migration's unapplied entries are found as the repair asks", async () => {
    const first = entry({ source: legacy.MIGRATION_GRANT_SOURCE, inLegacyGems: true });
    const second = entry({ source: legacy.MIGRATION_GRANT_SOURCE });
    const applied = entry({ applied: true, source: legacy.MIGRATION_GRANT_SOURCE, inLegacyGems: true });
    for (const one of [second, applied, first]) await store.insert(one);

    expect((await store.unappliedOf(userId)).map((one) => one.id)).toEqual([first.id, second.id]);
    expect((await store.inLegacyGemsOf(userId)).map((one) => one.id).sort()).toEqual([first.id, applied.id].sort());
    const fromMigration = (await store.unappliedFromMigration(1_000)).filter((one) => one.userId === userId);
    expect(fromMigration.map((one) => one.id)).toEqual([first.id, second.id]);

    await store.markApplied(first.id);
    await store.markApplied(first.id);
    expect((await store.unappliedOf(userId)).map((one) => one.id)).toEqual([second.id]);
  });

  test('the balance is a compare-and-set from its version (0: none yet), remembering the entry each change added', async () => {
    const [one, two] = [newId(), newId()];
    expect(await store.balance(userId)).toBeUndefined();
    expect(await store.addToBalance(userId, 1, 5, one)).toBe(false);
    expect(await store.addToBalance(userId, 0, 5, one)).toBe(true);
    expect(await store.addToBalance(userId, 0, 5, two)).toBe(false);
    expect(await store.addToBalance(userId, 1, 3, two)).toBe(true);
    expect(await store.addToBalance(userId, 1, 3, two)).toBe(false);
    expect(await store.balance(userId)).toEqual({ userId, earnedGems: 8, version: 2, lastGrantId: two });
  });
}
