/**
 * The monolith's data (../shared/contracts/legacy-data.md), as far as the
 * services read it while both shapes live (the bridge, docs/live-migration.md)
 * and the migration reads it: the collection names and the rules that parse
 * its fields. One home, so that the migration and the services never count a
 * legacy balance or a legacy attempt differently.
 */

/** The monolith's collections the bridge reads (the migration reads every one of them). */
export const COLLECTIONS = { users: 'users', attempts: 'quizattempts' } as const;

/**
 * A user's legacy `gems`: `"15"` and 15 are 15; anything that is not a
 * non-negative integer (`"12.5"`, 12.5, -3, `"abc"`, null, missing) counts as
 * 0 and is not `parsed` (the migration reports it).
 */
export function parseGems(value: unknown): { gems: number; parsed: boolean } {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return { gems: value, parsed: true };
  if (typeof value === 'string' && /^\d+$/.test(value) && Number.isSafeInteger(Number(value))) return { gems: Number(value), parsed: true };
  return { gems: 0, parsed: false };
}

/**
 * The source of every ledger entry the migration writes (opening balances
 * and later legacy payouts); their amounts are in the legacy `gems` already.
 */
export const MIGRATION_GRANT_SOURCE = 'migration';
