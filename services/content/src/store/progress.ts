import { ObjectId, type Collection, type Db } from 'mongodb';

interface ProgressDocument {
  /** `<userId>:<courseId>`: every read and write is by `_id`, the one lookup the local database does without a scan. */
  _id: string;
  userId: string;
  courseId: ObjectId;
  /** Pages viewed, each once; pages deleted since stay here and are simply not counted. */
  viewedPageIds: ObjectId[];
  updatedAt: Date;
}

const keyOf = (userId: string, courseId: string) => `${userId}:${courseId}`;

const viewedSet = (doc: Pick<ProgressDocument, 'viewedPageIds'> | null): Set<string> =>
  new Set((doc?.viewedPageIds ?? []).map((id) => id.toHexString()));

/** The pages each user has viewed in each course. */
export interface ProgressStore {
  /** The pages `userId` has viewed in `courseId`; none before their first view. */
  viewedPages(userId: string, courseId: string): Promise<Set<string>>;
  /** Records a view (a repeat changes nothing), in one atomic operation. */
  markViewed(userId: string, courseId: string, pageId: string): Promise<void>;
}

/** One document per (user, course): the ids of the pages the user has viewed. */
export class MongoProgressStore implements ProgressStore {
  private readonly progress: Collection<ProgressDocument>;

  constructor(
    db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.progress = db.collection<ProgressDocument>('progress');
  }

  async viewedPages(userId: string, courseId: string): Promise<Set<string>> {
    return viewedSet(await this.progress.findOne({ _id: keyOf(userId, courseId) }, { projection: { viewedPageIds: 1 } }));
  }

  /**
   * Records a view in one write that answers nothing back: `$addToSet` makes
   * a repeat a no-op, and the upsert creates the document on the first view.
   * Two first views racing are safe on both databases: MongoDB retries an
   * upsert that loses on the `_id` key, and the local database's proxy runs
   * writes one at a time.
   */
  async markViewed(userId: string, courseId: string, pageId: string): Promise<void> {
    await this.progress.updateOne(
      { _id: keyOf(userId, courseId) },
      {
        $addToSet: { viewedPageIds: new ObjectId(pageId) },
        $set: { userId, courseId: new ObjectId(courseId), updatedAt: this.now() },
      },
      { upsert: true },
    );
  }
}
