import { isDuplicateKey, type CollectionIndexes } from '@testmancer/shared';
import { ObjectId, type Collection, type Db, type Filter } from 'mongodb';
import { passes, type AttemptRecord, type OwedGrant } from '../domain';

/**
 * Ids are ObjectIds, as in the legacy `quizattempts` the migration copies in:
 * a migrated attempt and a new one of the same user must collide on the
 * unique (quizId, userId, attemptNumber) index, so the types must match.
 */
interface AttemptDocument {
  _id: ObjectId;
  quizId: ObjectId;
  courseId: ObjectId;
  userId: ObjectId;
  attemptNumber: number;
  /** `selected` for option questions (every legacy answer), `value` for number questions. */
  answers?: { questionId: string; selected?: number[]; value?: number }[];
  score: number;
  maxScore: number;
  passed?: boolean;
  timeTakenMs?: number;
  createdAt: Date;
  /**
   * `<quizId>:<userId>:<request id>` when the submit carried a request id.
   * Absent otherwise: the unique index on it is sparse, and sparse only skips
   * documents without the field when the index has that one field (a sparse
   * compound index still indexes, and collides on, the missing part).
   */
  requestKey?: string;
  grant?: OwedGrant;
  /**
   * Present (true) while the grant is pending: the outbox's index key. It
   * repeats `grant.status` because FerretDB pushes down only top-level
   * equality; a filter on `grant.status` is a full scan there.
   */
  grantPending?: true;
}

export const attemptIndexes: CollectionIndexes = {
  collection: 'attempts',
  indexes: [
    // Exactly one attempt 1 per user and quiz: the first attempt, which owes the gems.
    { key: { quizId: 1, userId: 1, attemptNumber: 1 }, name: 'attempt_number_unique', unique: true },
    { key: { requestKey: 1 }, name: 'request_key_unique', unique: true, sparse: true },
    { key: { userId: 1, courseId: 1 }, name: 'user_course' },
    // A user's attempts at a course listed a page at a time in order (MongoDB walks it, no sort in memory);
    // at one quiz the unique index above finds them, and their few are sorted.
    { key: { userId: 1, courseId: 1, _id: 1 }, name: 'user_course_list' },
    // The dispatcher's sweep; few attempts owe a grant at any time.
    { key: { grantPending: 1 }, name: 'grant_pending', sparse: true },
  ],
};

/** A grant to deliver, with what delivering needs. */
export interface PendingGrant {
  readonly attemptId: string;
  readonly quizId: string;
  readonly userId: string;
  readonly key: string;
  readonly amount: number;
  readonly createdAt: Date;
}

export const requestKeyOf = (quizId: string, userId: string, requestId: string): string => `${quizId}:${userId}:${requestId}`;

function toAttempt(doc: AttemptDocument): AttemptRecord {
  return {
    id: doc._id.toHexString(),
    quizId: doc.quizId.toHexString(),
    courseId: doc.courseId.toHexString(),
    userId: doc.userId.toHexString(),
    attemptNumber: doc.attemptNumber,
    answers: doc.answers ?? [],
    score: doc.score,
    maxScore: doc.maxScore,
    // Migrated attempts carry no verdict; the rule is the same.
    passed: doc.passed ?? passes(doc.score, doc.maxScore),
    timeTakenMs: doc.timeTakenMs ?? 0,
    createdAt: doc.createdAt,
    ...(doc.grant ? { grant: doc.grant } : {}),
  };
}

/** The attempts storage the use cases take; each call is one database operation. */
export interface AttemptStore {
  /** False when a unique index refused it: that number is taken, or the request key was recorded. */
  insert(attempt: AttemptRecord, requestKey: string | undefined): Promise<boolean>;
  byId(id: string): Promise<AttemptRecord | undefined>;
  /** A secondary-field read (a full scan on FerretDB): only after an insert was refused. */
  byRequestKey(requestKey: string): Promise<AttemptRecord | undefined>;
  /** The user's attempts at the quiz, ids and numbers, in no particular order. */
  numbersOf(quizId: string, userId: string): Promise<NumberedId[]>;
  /** A user's attempts at a quiz or a course, oldest first, after the cursor; one more than `size` tells a next page exists. */
  list(filter: AttemptFilter, after: string | undefined, size: number): Promise<AttemptRecord[]>;
  /** Every attempt of a user at a course's quizzes, in no particular order. */
  inCourse(userId: string, courseId: string): Promise<AttemptRecord[]>;
  /** Every grant still owed (the dispatcher's sweep). */
  pendingGrants(): Promise<PendingGrant[]>;
  /** Marks the grant delivered; true when it was still pending (the caller counts it then). */
  markDelivered(attemptId: string, deliveredAt: Date, failedTries: number): Promise<boolean>;
}

/** An attempt's id and number: what numbering the next one needs. */
export interface NumberedId {
  readonly id: string;
  readonly attemptNumber: number;
}

export interface AttemptFilter {
  userId: string;
  quizId?: string;
  courseId?: string;
}

export class MongoAttemptStore implements AttemptStore {
  private readonly attempts: Collection<AttemptDocument>;

  constructor(db: Db) {
    this.attempts = db.collection<AttemptDocument>('attempts');
  }

  async insert(attempt: AttemptRecord, requestKey: string | undefined): Promise<boolean> {
    const doc: AttemptDocument = {
      _id: new ObjectId(attempt.id),
      quizId: new ObjectId(attempt.quizId),
      courseId: new ObjectId(attempt.courseId),
      userId: new ObjectId(attempt.userId),
      attemptNumber: attempt.attemptNumber,
      answers: attempt.answers.map((a) => ({
        questionId: a.questionId,
        ...(a.selected ? { selected: [...a.selected] } : {}),
        ...(a.value === undefined ? {} : { value: a.value }),
      })),
      score: attempt.score,
      maxScore: attempt.maxScore,
      passed: attempt.passed,
      timeTakenMs: attempt.timeTakenMs,
      createdAt: attempt.createdAt,
      ...(requestKey ? { requestKey } : {}),
      ...(attempt.grant ? { grant: attempt.grant } : {}),
      ...(attempt.grant?.status === 'pending' ? { grantPending: true as const } : {}),
    };
    try {
      await this.attempts.insertOne(doc);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async byId(id: string): Promise<AttemptRecord | undefined> {
    const doc = await this.attempts.findOne({ _id: new ObjectId(id) });
    return doc ? toAttempt(doc) : undefined;
  }

  async byRequestKey(requestKey: string): Promise<AttemptRecord | undefined> {
    const doc = await this.attempts.findOne({ requestKey });
    return doc ? toAttempt(doc) : undefined;
  }

  /** A read of the (quizId, userId, attemptNumber) index: see Submissions. One user's attempts at one quiz are few. */
  async numbersOf(quizId: string, userId: string): Promise<NumberedId[]> {
    const docs = await this.attempts
      .find({ quizId: new ObjectId(quizId), userId: new ObjectId(userId) }, { projection: { attemptNumber: 1 } })
      .toArray();
    return docs.map((doc) => ({ id: doc._id.toHexString(), attemptNumber: doc.attemptNumber }));
  }

  /**
   * One page: equality, then `_id` past the cursor in order, at most `size + 1` documents (a
   * course's from the (userId, courseId, _id) index in order; a quiz's from the unique index,
   * one user's attempts at one quiz, sorted by the database).
   */
  async list(filter: AttemptFilter, after: string | undefined, size: number): Promise<AttemptRecord[]> {
    const query: Filter<AttemptDocument> = { ...this.equality(filter), ...(after ? { _id: { $gt: new ObjectId(after) } } : {}) };
    const docs = await this.attempts
      .find(query)
      .sort({ _id: 1 })
      .limit(size + 1)
      .toArray();
    return docs.map(toAttempt);
  }

  /** The (userId, courseId) index's read. */
  inCourse(userId: string, courseId: string): Promise<AttemptRecord[]> {
    return this.find({ userId, courseId });
  }

  private async find(filter: AttemptFilter): Promise<AttemptRecord[]> {
    return (await this.attempts.find(this.equality(filter)).toArray()).map(toAttempt);
  }

  private equality(filter: AttemptFilter): Filter<AttemptDocument> {
    const query: Filter<AttemptDocument> = { userId: new ObjectId(filter.userId) };
    if (filter.quizId) query.quizId = new ObjectId(filter.quizId);
    if (filter.courseId) query.courseId = new ObjectId(filter.courseId);
    return query;
  }

  /** An index read. */
  async pendingGrants(): Promise<PendingGrant[]> {
    const docs = await this.attempts
      .find({ grantPending: true }, { projection: { quizId: 1, userId: 1, grant: 1, createdAt: 1 } })
      .toArray();
    return docs.flatMap((doc) =>
      doc.grant
        ? [
            {
              attemptId: doc._id.toHexString(),
              quizId: doc.quizId.toHexString(),
              userId: doc.userId.toHexString(),
              key: doc.grant.key,
              amount: doc.grant.amount,
              createdAt: doc.createdAt,
            },
          ]
        : [],
    );
  }

  /**
   * One update, by _id and the sparse outbox key: it marks the grant only
   * while it is pending, so its count says whether this call delivered it
   * (two deliveries of one grant, a submit and the dispatcher, count it once).
   * An index read of `_id` on both databases (the other field is checked on
   * the one document found).
   */
  async markDelivered(attemptId: string, deliveredAt: Date, failedTries: number): Promise<boolean> {
    const result = await this.attempts.updateOne(
      { _id: new ObjectId(attemptId), grantPending: true },
      { $set: { 'grant.status': 'delivered', 'grant.deliveredAt': deliveredAt, 'grant.tries': failedTries }, $unset: { grantPending: '' } },
    );
    return result.modifiedCount === 1;
  }
}
