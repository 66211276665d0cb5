import { notFound } from '@testmancer/shared';
import { ObjectId, type Collection, type Db } from 'mongodb';

interface CounterDocument {
  _id: ObjectId;
  /** The last page version handed out in this course; written only here. */
  lastPageVersion?: number;
}

interface VersionedDocument {
  _id: ObjectId;
  courseId: ObjectId;
  version: number;
}

/**
 * Page versions: numbers from one counter per course, kept in the course
 * document (`lastPageVersion`, which the course's own compare-and-set never
 * writes), so that no two pages of a course ever have the same version (see
 * `PageState.version` for why). `$inc` is atomic on MongoDB and behind the
 * local write-serializing proxy alike.
 */
export class PageVersions {
  private readonly courses: Collection<CounterDocument>;
  private readonly pages: Collection<VersionedDocument>;

  constructor(db: Db) {
    this.courses = db.collection<CounterDocument>('courses');
    this.pages = db.collection<VersionedDocument>('pages');
  }

  /** Takes `count` new versions for pages of `courseId`: the first of them, the others follow it. */
  async take(courseId: string, count = 1): Promise<number> {
    const _id = new ObjectId(courseId);
    let last = await this.increment(_id, count);
    if (last === undefined) {
      await this.startCounter(_id);
      last = await this.increment(_id, count);
    }
    if (last === undefined) throw notFound('course');
    return last - count + 1;
  }

  /** The new value of the counter, or `undefined` when the course has none (or no course is there). */
  private async increment(_id: ObjectId, count: number): Promise<number | undefined> {
    // No projection: FerretDB does not implement one on findAndModify (the whole course comes back).
    const doc = await this.courses.findOneAndUpdate(
      { _id, lastPageVersion: { $exists: true } },
      { $inc: { lastPageVersion: count } },
      { returnDocument: 'after' },
    );
    return doc?.lastPageVersion;
  }

  /**
   * Courses stored before versions came from this counter (or by the legacy
   * migration) have none: it starts above every version their pages, deleted
   * ones included, ever had. A scan by `courseId`, once per such course.
   */
  private async startCounter(_id: ObjectId): Promise<void> {
    let highest = 0;
    for await (const page of this.pages.find({ courseId: _id }, { projection: { version: 1 } })) highest = Math.max(highest, page.version);
    // Only where still missing: a concurrent start, or the counter already in use, stays as it is.
    await this.courses.updateOne({ _id, lastPageVersion: { $exists: false } }, { $set: { lastPageVersion: highest } });
  }
}
