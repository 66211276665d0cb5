import { legacy } from '@testmancer/contracts';
import { ObjectId, type Collection, type Db } from 'mongodb';

/**
 * The monolith's balances, read by the bridge while both shapes live
 * (docs/live-migration.md): the legacy `users` collection is the monolith's,
 * not this service's, and is only ever read here, by `_id`.
 */
export interface LegacyGems {
  /** The user's legacy `gems` as the contract reads it; undefined when the monolith has no such user. */
  of(userId: string): Promise<number | undefined>;
}

interface LegacyUserDocument {
  _id: ObjectId;
  gems?: unknown;
}

export class MongoLegacyGems implements LegacyGems {
  private readonly users: Collection<LegacyUserDocument>;

  constructor(db: Db) {
    this.users = db.collection<LegacyUserDocument>(legacy.COLLECTIONS.users);
  }

  async of(userId: string): Promise<number | undefined> {
    const user = await this.users.findOne({ _id: new ObjectId(userId) }, { projection: { gems: 1 } });
    return user ? legacy.parseGems(user.gems).gems : undefined;
  }
}
