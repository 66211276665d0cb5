import { type CollectionIndexes } from '@testmancer/shared';
import { ObjectId, type Collection, type Db, type Filter } from 'mongodb';
import type { Question, QuizState, QuizTrigger } from '../domain';

/**
 * Field names follow the legacy `quizzes` collection and what the migration
 * writes into this one (`courseId`, `moduleId` for the unit, `trigger`,
 * `pageOrder`, `orphaned`), so that migrated quizzes are plain quizzes here.
 */
/**
 * Option questions keep the legacy shape: `type` missing on legacy ones (an
 * array answer means multiple choice), `answer` a number for single and
 * trueFalse, an array for multiple. Any other type is stored as its fields
 * are (questions/<type>).
 */
type QuestionDocument =
  | { id: string; type?: ChoiceType; prompt: string; options: string[]; answer: number | number[]; points?: number }
  | (Exclude<Question, { type: ChoiceType }> & { points?: number });

const CHOICE_TYPES = ['single', 'multiple', 'trueFalse'] as const;
type ChoiceType = (typeof CHOICE_TYPES)[number];
const isChoiceType = (type: string | undefined): type is ChoiceType | undefined =>
  type === undefined || (CHOICE_TYPES as readonly string[]).includes(type);
const isChoiceDocument = (doc: QuestionDocument): doc is Extract<QuestionDocument, { options: string[] }> => isChoiceType(doc.type);
const isChoiceQuestion = (question: Question): question is Extract<Question, { type: ChoiceType }> => isChoiceType(question.type);

interface QuizDocument {
  _id: ObjectId;
  courseId: ObjectId;
  moduleId?: ObjectId;
  trigger?: QuizTrigger;
  pageId?: ObjectId;
  /** Only on migrated page quizzes without `pageId`: a position (see QuizState.legacyPageOrder). */
  pageOrder?: number;
  title: string;
  questions: QuestionDocument[];
  gemReward?: number;
  /** The legacy name of `gemReward`. */
  gems?: number;
  orphaned?: boolean;
  version?: number;
  createdBy?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

/** Legacy: "gems granted for the first attempt at full score; missing means 10". */
const LEGACY_DEFAULT_GEMS = 10;

export const quizIndexes: CollectionIndexes = {
  collection: 'quizzes',
  // Lists filter on the course or the unit. On the local FerretDB these are
  // full scans whatever the index; the collection stays small (quizzes, not
  // attempts), measured ~130 ms for 500 quizzes of 5 questions.
  indexes: [
    { key: { courseId: 1 }, name: 'course' },
    { key: { moduleId: 1 }, name: 'unit' },
  ],
};

function toQuestion(doc: QuestionDocument): Question {
  if (!isChoiceDocument(doc)) return { ...doc, points: doc.points ?? 1 };
  return {
    id: doc.id,
    type: doc.type ?? (Array.isArray(doc.answer) ? 'multiple' : 'single'),
    prompt: doc.prompt,
    options: doc.options,
    answer: Array.isArray(doc.answer) ? doc.answer : [doc.answer],
    points: doc.points ?? 1,
  };
}

function fromQuestion(question: Question): QuestionDocument {
  if (!isChoiceQuestion(question)) return { ...question };
  return {
    id: question.id,
    type: question.type,
    prompt: question.prompt,
    options: [...question.options],
    answer: question.type === 'multiple' ? [...question.answer] : (question.answer[0] ?? 0),
    points: question.points,
  };
}

/**
 * A legacy quiz that the migration has not reached yet has no `trigger` (nor
 * question ids): it is not served, as a course without `structure` is not,
 * so that no student sees a rule (unit or page, which questions) that the
 * migration would contradict a moment later.
 */
const isMigrated = (doc: QuizDocument): doc is QuizDocument & { trigger: QuizTrigger } => doc.trigger !== undefined;

function toQuiz(doc: QuizDocument & { trigger: QuizTrigger }): QuizState {
  const createdAt = doc.createdAt ?? doc._id.getTimestamp();
  return {
    id: doc._id.toHexString(),
    courseId: doc.courseId.toHexString(),
    trigger: doc.trigger,
    unitId: doc.moduleId?.toHexString() ?? '',
    ...(doc.pageId ? { pageId: doc.pageId.toHexString() } : doc.pageOrder !== undefined ? { legacyPageOrder: doc.pageOrder } : {}),
    title: doc.title,
    questions: doc.questions.map(toQuestion),
    gemReward: doc.gemReward ?? doc.gems ?? LEGACY_DEFAULT_GEMS,
    markedOrphaned: doc.orphaned === true,
    version: doc.version ?? 1,
    createdBy: doc.createdBy ?? '',
    createdAt,
    updatedAt: doc.updatedAt ?? createdAt,
  };
}

function toDocument(quiz: QuizState): QuizDocument {
  return {
    _id: new ObjectId(quiz.id),
    courseId: new ObjectId(quiz.courseId),
    ...(quiz.unitId ? { moduleId: new ObjectId(quiz.unitId) } : {}),
    trigger: quiz.trigger,
    ...(quiz.pageId ? { pageId: new ObjectId(quiz.pageId) } : {}),
    ...(quiz.legacyPageOrder !== undefined ? { pageOrder: quiz.legacyPageOrder } : {}),
    title: quiz.title,
    questions: quiz.questions.map(fromQuestion),
    gemReward: quiz.gemReward,
    ...(quiz.markedOrphaned ? { orphaned: true } : {}),
    version: quiz.version,
    ...(quiz.createdBy ? { createdBy: quiz.createdBy } : {}),
    createdAt: quiz.createdAt,
    updatedAt: quiz.updatedAt,
  };
}

export interface QuizFilter {
  courseId?: string;
  unitId?: string;
  trigger?: QuizTrigger;
}

/** The quiz storage the use cases take: the MongoDB store, or the cache in front of it (quiz-cache.ts). Each call is one database operation. */
export interface QuizStore {
  insert(quiz: QuizState): Promise<void>;
  get(id: string): Promise<QuizState | undefined>;
  /**
   * Every quiz matching, oldest first, after the cursor. No limit: callers
   * drop orphans and filter by page order in memory before paging, and a
   * course or unit has few quizzes.
   */
  list(filter: QuizFilter, after: string | undefined): Promise<QuizState[]>;
  /** Compare-and-set on the version the change started from; false when someone else changed it first. */
  replace(quiz: QuizState, fromVersion: number): Promise<boolean>;
  /** Deletes the quiz at that version; false when it is not (any more) at it. */
  delete(id: string, version: number): Promise<boolean>;
}

export class MongoQuizStore implements QuizStore {
  private readonly quizzes: Collection<QuizDocument>;

  constructor(db: Db) {
    this.quizzes = db.collection<QuizDocument>('quizzes');
  }

  async insert(quiz: QuizState): Promise<void> {
    await this.quizzes.insertOne(toDocument(quiz));
  }

  async get(id: string): Promise<QuizState | undefined> {
    const doc = await this.quizzes.findOne({ _id: new ObjectId(id) });
    return doc && isMigrated(doc) ? toQuiz(doc) : undefined;
  }

  async list(filter: QuizFilter, after: string | undefined): Promise<QuizState[]> {
    const query: Filter<QuizDocument> = {};
    if (filter.courseId) query.courseId = new ObjectId(filter.courseId);
    if (filter.unitId) query.moduleId = new ObjectId(filter.unitId);
    if (filter.trigger) query.trigger = filter.trigger;
    // Ordered and past the cursor here: the local database answers a sorted query with a full scan (docs/local-database.md).
    const docs = await this.quizzes.find(query).toArray();
    return docs
      .filter(isMigrated)
      .map(toQuiz)
      .filter((quiz) => after === undefined || quiz.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async replace(quiz: QuizState, fromVersion: number): Promise<boolean> {
    const result = await this.quizzes.replaceOne({ _id: new ObjectId(quiz.id), version: fromVersion }, toDocument(quiz));
    return result.matchedCount === 1;
  }

  async delete(id: string, version: number): Promise<boolean> {
    const result = await this.quizzes.deleteOne({ _id: new ObjectId(id), version });
    return result.deletedCount === 1;
  }
}
