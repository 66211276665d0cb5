import { legacy } from '@testmancer/contracts';
import type { CollectionIndexes } from '@testmancer/shared';
import { ObjectId, type Collection, type Db } from 'mongodb';

/**
 * The monolith's attempts, read by the bridge while both shapes live
 * (docs/live-migration.md): `quizattempts` is the monolith's collection, only
 * ever read here, so that an attempt the monolith recorded counts in the
 * numbering before the migration has copied it into `attempts`.
 */
export interface LegacyAttempts {
  /** The ids of the user's legacy attempts at the quiz (a copied one has the same id in `attempts`). */
  idsOf(quizId: string, userId: string): Promise<string[]>;
}

/** What makes the bridge's read an index read (the migration's m2 creates it as well). */
export const legacyAttemptIndexes: CollectionIndexes = {
  collection: legacy.COLLECTIONS.attempts,
  indexes: [{ key: { quizId: 1, userId: 1 }, name: 'quiz_user' }],
};

interface LegacyAttemptDocument {
  _id: ObjectId;
  quizId: ObjectId;
  userId: ObjectId;
}

export class MongoLegacyAttempts implements LegacyAttempts {
  private readonly attempts: Collection<LegacyAttemptDocument>;

  constructor(db: Db) {
    this.attempts = db.collection<LegacyAttemptDocument>(legacy.COLLECTIONS.attempts);
  }

  async idsOf(quizId: string, userId: string): Promise<string[]> {
    const docs = await this.attempts
      .find({ quizId: new ObjectId(quizId), userId: new ObjectId(userId) }, { projection: { _id: 1 } })
      .toArray();
    return docs.map((doc) => doc._id.toHexString());
  }
}
