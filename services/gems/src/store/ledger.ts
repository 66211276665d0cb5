import { legacy } from '@testmancer/contracts';
import { isDuplicateKey, type CollectionIndexes } from '@testmancer/shared';
import { ObjectId, type Collection, type Db } from 'mongodb';
import type { Balance, GrantEntry } from '../domain/grant';

/** What the protocol needs from storage; each call is one single-document operation. */
export interface LedgerStore {
  /**
   * False when an entry with the same key exists. `counted`: an entry known to
   * be in the balance, marked applied in the same command once the insert is
   * done (the entry this grant is about to replace as the balance's last).
   */
  insert(entry: GrantEntry, counted?: string): Promise<boolean>;
  byKey(key: string): Promise<GrantEntry | undefined>;
  byId(id: string): Promise<GrantEntry | undefined>;
  /** The user's newest `limit` entries, newest first (ties: the later id first). */
  history(userId: string, limit: number): Promise<GrantEntry[]>;
  /** The user's unapplied entries, oldest first. */
  unappliedOf(userId: string): Promise<GrantEntry[]>;
  /** The user's entries marked `inLegacyGems`. */
  inLegacyGemsOf(userId: string): Promise<GrantEntry[]>;
  /** Unapplied entries the migration wrote (no caller retries those), of any user, oldest first. */
  unappliedFromMigration(limit: number): Promise<GrantEntry[]>;
  markApplied(id: string): Promise<void>;
  balance(userId: string): Promise<Balance | undefined>;
  /** Compare-and-set from `fromVersion` (0: no balance yet); false when the balance is not at that version. */
  addToBalance(userId: string, fromVersion: number, amount: number, grantId: string): Promise<boolean>;
}

interface GrantDocument {
  _id: ObjectId;
  key: string;
  userId: string;
  amount: number;
  source: string;
  reason: string;
  grantedAt: Date;
  /**
   * False until the amount is in the balance. Entries written by others (a
   * migration's opening balances) may come with `applied: false` and no
   * balance: the repair applies them.
   */
  applied: boolean;
  /** Present (true) when the amount is in the legacy `gems` too (GrantEntry.inLegacyGems). */
  inLegacyGems?: true;
}

interface BalanceDocument {
  _id: string;
  earnedGems: number;
  version: number;
  lastGrantId?: ObjectId;
  updatedAt: Date;
}

export const ledgerIndexes: CollectionIndexes[] = [
  {
    collection: 'gemgrants',
    indexes: [
      { key: { key: 1 }, name: 'key_unique', unique: true },
      // A user's history (and, on MongoDB, what makes it an index read).
      { key: { userId: 1, grantedAt: -1 }, name: 'user_history' },
      { key: { applied: 1 }, name: 'applied' },
      // The repair's read: the migration's unapplied entries, not every user's last one.
      { key: { applied: 1, source: 1 }, name: 'unapplied_by_source' },
    ],
  },
];

const toEntry = (doc: GrantDocument): GrantEntry => ({
  id: doc._id.toHexString(),
  key: doc.key,
  userId: doc.userId,
  amount: doc.amount,
  source: doc.source,
  reason: doc.reason,
  grantedAt: doc.grantedAt,
  applied: doc.applied !== false,
  inLegacyGems: doc.inLegacyGems === true,
});

export class MongoLedgerStore implements LedgerStore {
  private readonly grants: Collection<GrantDocument>;
  private readonly balances: Collection<BalanceDocument>;

  constructor(
    db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.grants = db.collection<GrantDocument>('gemgrants');
    this.balances = db.collection<BalanceDocument>('gembalances');
  }

  async insert(entry: GrantEntry, counted?: string): Promise<boolean> {
    const { id, inLegacyGems, ...fields } = entry;
    const document = { _id: new ObjectId(id), ...fields, ...(inLegacyGems ? { inLegacyGems } : {}) };
    try {
      if (counted === undefined) await this.grants.insertOne(document);
      else {
        // Ordered: a refused insert (the key exists) stops the command before the mark.
        await this.grants.bulkWrite(
          [{ insertOne: { document } }, { updateOne: { filter: { _id: new ObjectId(counted) }, update: { $set: { applied: true } } } }],
          { ordered: true },
        );
      }
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async byKey(key: string): Promise<GrantEntry | undefined> {
    const doc = await this.grants.findOne({ key });
    return doc ? toEntry(doc) : undefined;
  }

  async byId(id: string): Promise<GrantEntry | undefined> {
    const doc = await this.grants.findOne({ _id: new ObjectId(id) });
    return doc ? toEntry(doc) : undefined;
  }

  /** The user_history index's read (userId, grantedAt descending), at most `limit` documents. */
  async history(userId: string, limit: number): Promise<GrantEntry[]> {
    const docs = await this.grants.find({ userId }).sort({ grantedAt: -1, _id: -1 }).limit(limit).toArray();
    return docs.map(toEntry);
  }

  async unappliedOf(userId: string): Promise<GrantEntry[]> {
    const docs = await this.grants.find({ userId, applied: false }).sort({ _id: 1 }).toArray();
    return docs.map(toEntry);
  }

  async inLegacyGemsOf(userId: string): Promise<GrantEntry[]> {
    return (await this.grants.find({ userId, inLegacyGems: true }).toArray()).map(toEntry);
  }

  async unappliedFromMigration(limit: number): Promise<GrantEntry[]> {
    const docs = await this.grants.find({ applied: false, source: legacy.MIGRATION_GRANT_SOURCE }).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map(toEntry);
  }

  async markApplied(id: string): Promise<void> {
    // By _id alone: setting it twice is harmless, and on FerretDB any other
    // field in an update's filter makes it a scan of the whole collection.
    await this.grants.updateOne({ _id: new ObjectId(id) }, { $set: { applied: true } });
  }

  async balance(userId: string): Promise<Balance | undefined> {
    const doc = await this.balances.findOne({ _id: userId });
    if (!doc) return undefined;
    return {
      userId: doc._id,
      earnedGems: doc.earnedGems,
      version: doc.version,
      ...(doc.lastGrantId ? { lastGrantId: doc.lastGrantId.toHexString() } : {}),
    };
  }

  async addToBalance(userId: string, fromVersion: number, amount: number, grantId: string): Promise<boolean> {
    const lastGrantId = new ObjectId(grantId);
    if (fromVersion === 0) {
      try {
        await this.balances.insertOne({ _id: userId, earnedGems: amount, version: 1, lastGrantId, updatedAt: this.now() });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    }
    const result = await this.balances.updateOne(
      { _id: userId, version: fromVersion },
      { $inc: { earnedGems: amount, version: 1 }, $set: { lastGrantId, updatedAt: this.now() } },
    );
    return result.matchedCount === 1;
  }
}
