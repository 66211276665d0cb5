/**
 * Users: what the monolith paid becomes ledger entries, and keeps becoming
 * them. The legacy `gems` is the monolith's whole balance; the ledger entries
 * marked `inLegacyGems` are the part of it already brought over. Each run
 * records the difference as one entry with a deterministic key (the opening
 * balance the first time, a later payout or correction after), unapplied:
 * the gems service applies it by its own protocol. `earnedGems` on the user
 * says which legacy balance the ledger holds, so an unchanged user costs no
 * read of the ledger.
 */
import { legacy } from '@testmancer/contracts';
import type { Document } from 'mongodb';
import { runPass, type RunContext } from '../pass';
import { derivedId, hexOf, parseGems } from '../transform';

/** A ledger entry as the migration writes it (the gems service's `gemgrants` document). */
export interface MigrationGrant {
  _id: ReturnType<typeof derivedId>;
  key: string;
  userId: string;
  amount: number;
  source: typeof legacy.MIGRATION_GRANT_SOURCE;
  reason: string;
  grantedAt: Date;
  applied: false;
  inLegacyGems: true;
}

/** The key of the migration's n-th entry for a user (0: the opening balance). */
export const migrationGrantKey = (userId: string, n: number): string => `migration:legacy-gems:${userId}:${n}`;

/** What the ledger holds of a user's legacy balance: the sum of the entries in it, and how many the migration wrote. */
async function ledgerState(ctx: RunContext, userId: string): Promise<{ inLegacy: number; written: number }> {
  const entries = await ctx.db
    .collection('gemgrants')
    .find({ userId }, { projection: { amount: 1, inLegacyGems: 1, source: 1 } })
    .toArray();
  return {
    inLegacy: entries.reduce((sum, entry) => sum + (entry.inLegacyGems === true ? Number(entry.amount) : 0), 0),
    written: entries.filter((entry) => entry.source === legacy.MIGRATION_GRANT_SOURCE).length,
  };
}

/** The filter that matches a user's `gems` only while it still is the value read (the monolith may `$inc` it meanwhile). */
const sameGems = (user: Document): Document => (user.gems === undefined ? { gems: { $exists: false } } : { gems: user.gems as unknown });

export async function users(ctx: RunContext): Promise<void> {
  await runPass(ctx, {
    collection: 'users',
    label: 'users',
    plan: () => undefined,
    async planBatch(docs) {
      return Promise.all(
        docs.map(async (user) => {
          const { gems, parsed } = parseGems(user.gems);
          if (user.earnedGems === gems) return undefined;
          const userId = hexOf(user._id);
          if (!parsed)
            ctx.report.conflict({
              kind: 'unparseable-gems',
              collection: 'users',
              id: userId,
              detail: `gems ${JSON.stringify(user.gems ?? null)} counts as 0`,
            });
          const { inLegacy, written } = await ledgerState(ctx, userId);
          const amount = gems - inLegacy;
          const inserts: { collection: string; doc: Document }[] = [];
          if (amount !== 0) {
            const key = migrationGrantKey(userId, written);
            const grant: MigrationGrant = {
              _id: derivedId(key),
              key,
              userId,
              amount,
              source: legacy.MIGRATION_GRANT_SOURCE,
              reason:
                written === 0
                  ? 'balance earned in the monolith'
                  : amount > 0
                    ? 'paid in the monolith after the migration began'
                    : 'corrected in the monolith after the migration began',
              // The opening balance dates from the account (a legacy timestamp: a resumed run writes the same entry).
              grantedAt: written === 0 && user.createdAt instanceof Date ? user.createdAt : new Date(),
              applied: false,
              inLegacyGems: true,
            };
            inserts.push({ collection: 'gemgrants', doc: grant });
            if (written > 0)
              ctx.report.detail(`user ${userId}: legacy gems ${inLegacy} → ${gems}`, { user: userId, gems: { from: inLegacy, to: gems } });
          }
          return { inserts, update: { $set: { earnedGems: gems } }, guard: sameGems(user) };
        }),
      );
    },
  });
}
