import { gems, quiz } from '@testmancer/contracts';
import {
  assertSignedIn,
  conflict,
  forbidden,
  invalid,
  isObjectIdText,
  mayReadUserData,
  NOT_AN_ID,
  type Caller,
  type FieldIssue,
} from '@testmancer/shared';

/** One ledger entry: gems granted to a user once, under an idempotency key. */
export interface GrantEntry {
  readonly id: string;
  readonly key: string;
  readonly userId: string;
  readonly amount: number;
  readonly source: string;
  readonly reason: string;
  readonly grantedAt: Date;
  /**
   * Marked once the amount is in the user's balance and the balance has
   * moved past it: the balance's last entry is in it unmarked (see
   * ../application/ledger.ts).
   */
  readonly applied: boolean;
  /**
   * The amount is in the user's legacy `gems` too: the migration's entries
   * (the monolith paid them), and entries a rollback folded back into `gems`.
   */
  readonly inLegacyGems: boolean;
}

/** A user's balance: the sum of the applied ledger entries. */
export interface Balance {
  readonly userId: string;
  readonly earnedGems: number;
  /** Grows by one with every entry added; the compare-and-set key. */
  readonly version: number;
  /** The entry the last change added: it may not be marked applied yet (../ledger.ts). */
  readonly lastGrantId?: string;
}

export interface GrantRequest {
  readonly key: string;
  readonly userId: string;
  readonly amount: number;
  readonly source: string;
  readonly reason: string;
}

export const LIMITS = { key: 200, source: 200, reason: 500 } as const;
/** A grant pays a first attempt: never more than the largest reward a quiz can have. */
const MAX_AMOUNT = quiz.LIMITS.gemReward.max;

/** The services that pay gems: the quiz service's grant dispatcher (the migration writes the ledger directly). */
const GRANTING_SERVICES: readonly string[] = ['quiz'];

/** Only a granting service's verified credential may pay gems: any other caller is refused, whatever it sends. */
export function assertMayGrant(service: string): void {
  if (!GRANTING_SERVICES.includes(service)) throw forbidden(`the ${service} service may not grant gems`);
}
const { HISTORY_LIMIT } = gems;

/** The request as the ledger records it, or `invalid` listing every problem (paths are the proto's field names). */
export function validateGrant(input: GrantRequest): GrantRequest {
  const issues: FieldIssue[] = [];
  const key = input.key.trim();
  if (key.length === 0 || key.length > LIMITS.key) {
    issues.push({ path: 'idempotencyKey', message: `must be 1 to ${String(LIMITS.key)} characters` });
  }
  if (!isObjectIdText(input.userId)) issues.push({ path: 'userId', message: NOT_AN_ID });
  if (!Number.isInteger(input.amount) || input.amount < 1 || input.amount > MAX_AMOUNT)
    issues.push({ path: 'amount', message: `must be a whole number from 1 to ${String(MAX_AMOUNT)}` });
  if (input.source.length > LIMITS.source) issues.push({ path: 'source', message: `must be at most ${String(LIMITS.source)} characters` });
  if (input.reason.length > LIMITS.reason) issues.push({ path: 'reason', message: `must be at most ${String(LIMITS.reason)} characters` });
  if (issues.length > 0) throw invalid('invalid grant', issues);
  return { ...input, key, userId: input.userId.toLowerCase() };
}

/**
 * A repeated key must repeat the grant: the same key for another user or
 * amount is a caller bug that answering "duplicate" would hide.
 */
export function assertSameGrant(recorded: GrantEntry, request: GrantRequest): void {
  if (recorded.userId !== request.userId || recorded.amount !== request.amount) {
    throw conflict(`idempotency key "${request.key}" was already used for another grant`);
  }
}

/**
 * The bridge while both shapes live (docs/live-migration.md): what the
 * monolith paid out that the ledger does not hold yet. The legacy `gems` is
 * the monolith's whole balance; the entries marked `inLegacyGems` are the
 * part of it the migration has brought over (or a rollback put back), so the
 * difference is the payouts the next migration run will record. Nothing for
 * a user the monolith does not know (undefined).
 */
export function legacyGemsNotInLedger(entries: readonly GrantEntry[], legacyGems: number | undefined): number {
  if (legacyGems === undefined) return 0;
  return legacyGems - entries.reduce((sum, entry) => sum + (entry.inLegacyGems ? entry.amount : 0), 0);
}

/** `history_limit`: 0 (unset) is the default; more than the maximum is refused rather than silently cut. */
export function historyLimit(requested: number): number {
  if (requested === 0) return HISTORY_LIMIT.default;
  if (!Number.isInteger(requested) || requested < 1 || requested > HISTORY_LIMIT.max) {
    throw invalid('historyLimit is out of range', [
      { path: 'historyLimit', message: `must be between 1 and ${String(HISTORY_LIMIT.max)}` },
    ]);
  }
  return requested;
}

/** Whose balance a request reads (gems span courses, so no course's authors: users their own, admins anyone's). */
export function balanceOwner(caller: Caller, requestedUserId: string): string {
  const signedIn = assertSignedIn(caller, 'see a gem balance');
  const userId = (requestedUserId || signedIn.userId).toLowerCase();
  if (!isObjectIdText(userId))
    throw invalid('userId is not a valid id', [{ path: 'userId', message: 'must be a 24-character hexadecimal id' }]);
  if (!mayReadUserData(caller, userId)) throw forbidden("only admins see another user's gems");
  return userId;
}
