import fc from 'fast-check';
import { legacy } from '@testmancer/contracts';
import { CompareAndSet, DomainError } from '@testmancer/shared';
import { Ledger } from '../../src/application/ledger';
import type { GrantEntry, GrantRequest } from '../../src/domain/grant';
import type { LegacyGems } from '../../src/store/legacy-gems';
import { MemoryLedgerStore } from '../fakes/memory-ledger-store';

const USER = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const OTHER = 'bbbbbbbbbbbbbbbbbbbbbbbb';

/** A small seeded generator, so that a failing interleaving can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function setup(seed = 1, legacy?: LegacyGems) {
  const store = new MemoryLedgerStore(seeded(seed));
  let next = 0;
  const ledger = new Ledger(
    store,
    new CompareAndSet(),
    () => (++next).toString(16).padStart(24, '0'),
    () => new Date('2025-01-01T00:00:00Z'),
    legacy,
  );
  return { store, ledger };
}

/** Another gems process on the same store: its own memory, its own ids. */
function replicaOn(store: MemoryLedgerStore): Ledger {
  let next = 0;
  return new Ledger(
    store,
    new CompareAndSet(),
    () => (++next).toString(16).padStart(24, 'f'),
    () => new Date(0),
  );
}

/** The monolith's `users` as the bridge reads them: legacy gems by user, absent for a user it does not know. */
class MemoryLegacyGems implements LegacyGems {
  readonly gems = new Map<string, number>();
  of(userId: string): Promise<number | undefined> {
    return Promise.resolve(this.gems.get(userId));
  }
}

const request = (key: string, amount: number, userId = USER): GrantRequest => ({
  key,
  userId,
  amount,
  source: 'quiz:q1',
  reason: 'first attempt',
});

const balanceOf = (store: MemoryLedgerStore, userId = USER) => store.balances.get(userId)?.earnedGems ?? 0;

describe('Ledger.grant', () => {
  it('records a grant once and adds it to the balance once', async () => {
    const { store, ledger } = setup();
    const first = await ledger.grant(request('k1', 7));
    const again = await ledger.grant(request('k1', 7));
    expect(first).toMatchObject({ duplicate: false });
    expect(again).toMatchObject({ duplicate: true });
    expect(balanceOf(store)).toBe(7);
    expect(again.grant.id).toBe(first.grant.id);
    expect(store.entries.size).toBe(1);
  });

  it('writes nothing more for a repeat of a grant already applied', async () => {
    const { store, ledger } = setup();
    await ledger.grant(request('k1', 7));
    const writes = () => store.steps.callsOf('markApplied') + store.steps.callsOf('addToBalance');
    const before = writes();
    await ledger.grant(request('k1', 7));
    expect(writes()).toBe(before);
  });

  it('adds grants under different keys up', async () => {
    const { store, ledger } = setup();
    await ledger.grant(request('k1', 7));
    await ledger.grant(request('k2', 5));
    await ledger.grant(request('k3', 1, OTHER));
    expect(balanceOf(store)).toBe(12);
    expect(balanceOf(store, OTHER)).toBe(1);
  });

  it('records a zero grant without changing the balance', async () => {
    const { store, ledger } = setup();
    await ledger.grant(request('k1', 3));
    expect(await ledger.grant(request('k0', 0))).toMatchObject({ duplicate: false });
    expect(balanceOf(store)).toBe(3);
  });

  it('a new grant reads nothing when the balance is new or as this process last wrote it', async () => {
    const { store, ledger } = setup();
    const reads = () => store.steps.callsOf('balance') + store.steps.callsOf('byId') + store.steps.callsOf('byKey');
    await ledger.grant(request('k1', 7));
    await ledger.grant(request('k2', 5));
    expect(reads()).toBe(0);
    expect(balanceOf(store)).toBe(12);
  });

  it('a balance another replica moved meanwhile refuses the shortcut, and the grant is counted once by the whole protocol', async () => {
    const { store, ledger } = setup();
    const replica = replicaOn(store);
    await ledger.grant(request('k1', 7));
    await replica.grant(request('k2', 5));
    await ledger.grant(request('k3', 1));
    await replica.grant(request('k3', 1));
    expect(balanceOf(store)).toBe(13);
    expect(balanceOf(store)).toBe(store.ledgerSum(USER));
    expect(store.allCounted()).toBe(true);
  });

  it('a new grant is two writes: its entry (which marks the entry it replaces as the balance’s last) and the balance', async () => {
    const { store, ledger } = setup();
    const writes = () => ['insert', 'addToBalance', 'markApplied'].map((operation) => store.steps.callsOf(operation as 'insert'));
    await ledger.grant(request('k1', 7));
    expect(writes()).toEqual([1, 1, 0]);
    const [k1] = [...store.entries.values()];
    expect(k1?.applied).toBe(false);
    expect(store.balances.get(USER)?.lastGrantId).toBe(k1?.id);

    await ledger.grant(request('k2', 5));
    expect(writes()).toEqual([2, 2, 0]);
    expect(store.entries.get(k1!.id)?.applied).toBe(true);
    expect(balanceOf(store)).toBe(12);
    expect(store.allCounted()).toBe(true);
  });

  it('refuses a repeated key carrying another amount or user', async () => {
    const { ledger } = setup();
    await ledger.grant(request('k1', 7));
    await expect(ledger.grant(request('k1', 8))).rejects.toMatchObject({ kind: 'conflict' });
    await expect(ledger.grant(request('k1', 7, OTHER))).rejects.toBeInstanceOf(DomainError);
  });

  it.each([1, 2, 3, 4, 5])('keeps the balance equal to the ledger under concurrent grants and repeats (seed %i)', async (seed) => {
    const { store, ledger } = setup(seed);
    const grants = Array.from({ length: 20 }, (_, i) => request(`k${String(i)}`, i + 1, i % 3 === 0 ? OTHER : USER));
    // Each key is sent twice, concurrently with everything else.
    const outcomes = await Promise.all([...grants, ...grants].map((g) => ledger.grant(g)));
    expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(20);
    expect(store.entries.size).toBe(20);
    expect(balanceOf(store)).toBe(store.ledgerSum(USER));
    expect(balanceOf(store, OTHER)).toBe(store.ledgerSum(OTHER));
    expect(store.allCounted()).toBe(true);
  });
});

describe('the crash window between the ledger entry and the balance', () => {
  it('a grant whose writer died before the balance update is applied by its retry; the repair is for the migration’s entries', async () => {
    const { store, ledger } = setup();
    await ledger.grant(request('k1', 5));
    store.steps.crashBefore('addToBalance');
    await expect(ledger.grant(request('k2', 7))).rejects.toThrow('simulated failure');
    expect(balanceOf(store)).toBe(5);
    expect(store.ledgerSum(USER)).toBe(12);

    // GrantGems failed, so its caller (the quiz service's outbox) sends it again.
    expect(await ledger.repair()).toBe(0);
    expect(await ledger.grant(request('k2', 7))).toMatchObject({ duplicate: true });
    expect(balanceOf(store)).toBe(12);
    expect(store.allCounted()).toBe(true);
  });

  it('... also when it is the user’s first', async () => {
    const { store, ledger } = setup();
    store.steps.crashBefore('addToBalance');
    await expect(ledger.grant(request('k1', 7))).rejects.toThrow('simulated failure');
    expect(await ledger.grant(request('k1', 7))).toMatchObject({ duplicate: true });
    expect(balanceOf(store)).toBe(7);
    expect(balanceOf(store)).toBe(store.ledgerSum(USER));
  });

  it('a balance’s last entry, not marked applied, is never added again: not by a repeat, a read, the repair or another replica', async () => {
    const { store, ledger } = setup();
    const replica = replicaOn(store);
    await ledger.grant(request('k1', 5));
    expect([...store.entries.values()].filter((e) => !e.applied)).toHaveLength(1);
    expect(await ledger.grant(request('k1', 5))).toMatchObject({ duplicate: true });
    expect(await replica.grant(request('k1', 5))).toMatchObject({ duplicate: true });
    expect((await ledger.balanceOf(USER, 10)).earnedGems).toBe(5);
    await ledger.repair();
    expect(balanceOf(store)).toBe(5);

    // The replica replaces it as the last: marked first (step 3), counted once.
    await replica.grant(request('k2', 3));
    expect(balanceOf(store)).toBe(8);
    expect(store.ledgerSum(USER)).toBe(8);
    expect(store.allCounted()).toBe(true);
  });

  it('an entry written straight into the ledger (a migration) is applied by a balance read', async () => {
    const { store, ledger } = setup();
    await ledger.grant(request('k1', 5));
    const opening: GrantEntry = {
      ...request('legacy:user', 40),
      id: 'f'.repeat(24),
      source: legacy.MIGRATION_GRANT_SOURCE,
      grantedAt: new Date(0),
      applied: false,
      inLegacyGems: true,
    };
    store.entries.set(opening.id, opening);

    const { earnedGems, history } = await ledger.balanceOf(USER, 50);
    expect(earnedGems).toBe(45);
    expect(history.map((e) => e.key)).toEqual(['k1', 'legacy:user']);
  });

  it('ends with balance = ledger sum whatever dies, once every failed grant is retried, with repairs alongside', async () => {
    const operations = ['insert', 'balance', 'byId', 'markApplied', 'addToBalance'] as const;
    // Before each of 30 grants, maybe a crash armed: which operation, and how many calls later.
    const crash = fc.option(fc.record({ operation: fc.constantFrom(...operations), after: fc.integer({ min: 1, max: 10 }) }), { freq: 2 });
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.array(crash, { minLength: 30, maxLength: 30 }), async (interleaving, crashes) => {
        const { store, ledger } = setup(interleaving);
        const grantOf = (i: number) => request(`k${String(i % 12)}`, (i % 12) + 1, i % 12 < 6 ? USER : OTHER);
        const failed = new Set<number>();
        const calls = crashes.map((armed, i) => {
          if (armed) store.steps.crashBefore(armed.operation, armed.after);
          return ledger.grant(grantOf(i)).catch(() => failed.add(i % 12));
        });
        await Promise.all([...calls, ledger.repair().catch(() => undefined), ledger.repair().catch(() => undefined)]);

        // The callers' outbox: a failed grant is sent again until it answers (crashes still armed may fail it again).
        for (let round = 0; failed.size > 0 && round < 50; round += 1) {
          for (const i of [...failed])
            await ledger.grant(grantOf(i)).then(
              () => failed.delete(i),
              () => undefined,
            );
        }
        expect(failed.size).toBe(0);
        expect(balanceOf(store)).toBe(store.ledgerSum(USER));
        expect(balanceOf(store, OTHER)).toBe(store.ledgerSum(OTHER));
        expect(store.allCounted()).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe('Ledger.balanceOf', () => {
  it('answers the newest entries first, at most the limit, and 0 for a user without grants', async () => {
    const { ledger } = setup();
    for (const key of ['k1', 'k2', 'k3']) await ledger.grant(request(key, 1));
    expect((await ledger.balanceOf(USER, 2)).history.map((e) => e.key)).toEqual(['k3', 'k2']);
    expect(await ledger.balanceOf(OTHER, 50)).toEqual({ earnedGems: 0, history: [] });
  });
});

describe('Ledger.balanceOf', () => {
  it('reads one limited page of history; entries beyond it still count, unapplied ones are applied first, legacy ones are known', async () => {
    const legacy = new MemoryLegacyGems();
    const { store, ledger } = setup(1, legacy);
    legacy.gems.set(USER, 40);
    // The oldest entries: the migration's opening balance (unapplied, in the legacy gems) and one a dead writer left unapplied.
    const old = (n: number, amount: number, inLegacyGems: boolean): GrantEntry => ({
      ...request(`old:${String(n)}`, amount),
      id: String(n).padStart(24, 'c'),
      grantedAt: new Date(n),
      applied: false,
      inLegacyGems,
    });
    store.entries.set(old(1, 40, true).id, old(1, 40, true));
    store.entries.set(old(2, 3, false).id, old(2, 3, false));
    for (let i = 0; i < 5; i += 1) await ledger.grant(request(`k${String(i)}`, 1));
    const { earnedGems, history } = await ledger.balanceOf(USER, 2);
    expect(history).toHaveLength(2);
    // Applying the two old entries moved the balance: the balance and its page are read once more.
    expect(store.steps.callsOf('history')).toBe(2);
    // 40 migrated (in the legacy 40, so nothing more from it), 3 repaired, 5 granted.
    expect(earnedGems).toBe(48);
    expect(balanceOf(store)).toBe(48);
    expect(store.allCounted()).toBe(true);
    // A history shorter than asked holds everything: nothing else is queried.
    const before = store.steps.callsOf('unappliedOf') + store.steps.callsOf('inLegacyGemsOf');
    expect((await ledger.balanceOf(USER, 50)).earnedGems).toBe(48);
    expect(store.steps.callsOf('unappliedOf') + store.steps.callsOf('inLegacyGemsOf')).toBe(before);
  });
});

describe('Ledger.balanceOf while grants land', () => {
  it('answers a balance and a history that agree while a grant lands between their reads', async () => {
    const { store, ledger } = setup();
    const replica = replicaOn(store);
    // The grant lands after the balance is read and before the history is.
    const readHistory = store.history.bind(store);
    let landed = false;
    store.history = async (userId, limit) => {
      if (!landed) {
        landed = true;
        await replica.grant(request('k1', 7));
      }
      return readHistory(userId, limit);
    };
    const { earnedGems, history } = await ledger.balanceOf(USER, 10);
    expect(earnedGems).toBe(7);
    expect(history.map((entry) => entry.key)).toEqual(['k1']);
    expect(store.steps.callsOf('history')).toBe(2);
  });
});

describe('the bridge to the legacy balances', () => {
  const migrated = (amount: number, n: number): GrantEntry => ({
    ...request(`migration:legacy-gems:${USER}:${String(n)}`, amount),
    id: String(n + 1).padStart(24, 'e'),
    source: 'migration',
    grantedAt: new Date(0),
    applied: false,
    inLegacyGems: true,
  });

  it('counts what the monolith paid before the migration reached the user, and after, until the catch-up brings it over', async () => {
    const legacy = new MemoryLegacyGems();
    const { store, ledger } = setup(1, legacy);
    legacy.gems.set(USER, 50);
    // A first attempt in the new system before the migration's users pass: the legacy 50 is not lost.
    await ledger.grant(request('quiz:a', 10));
    expect((await ledger.balanceOf(USER, 50)).earnedGems).toBe(60);
    // The users pass: the opening 50, marked as in the legacy balance.
    store.entries.set(migrated(50, 0).id, migrated(50, 0));
    expect((await ledger.balanceOf(USER, 50)).earnedGems).toBe(60);
    // The monolith pays 5 more; the balance shows it before any catch-up, and the same after it.
    legacy.gems.set(USER, 55);
    expect((await ledger.balanceOf(USER, 50)).earnedGems).toBe(65);
    store.entries.set(migrated(5, 1).id, migrated(5, 1));
    expect((await ledger.balanceOf(USER, 50)).earnedGems).toBe(65);
    expect(balanceOf(store)).toBe(65);
  });

  it('adds nothing for a user the monolith does not know, and nothing when switched off', async () => {
    const legacy = new MemoryLegacyGems();
    const bridged = setup(1, legacy);
    await bridged.ledger.grant(request('quiz:a', 10));
    expect((await bridged.ledger.balanceOf(USER, 50)).earnedGems).toBe(10);
    const off = setup(1);
    legacy.gems.set(USER, 50);
    await off.ledger.grant(request('quiz:a', 10));
    expect((await off.ledger.balanceOf(USER, 50)).earnedGems).toBe(10);
  });
});
