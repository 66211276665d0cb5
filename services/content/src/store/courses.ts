import { idAfter, pageOf, type CollectionIndexes } from '@testmancer/shared';
import { ObjectId, type Collection, type Db, type Filter } from 'mongodb';
import type { CourseClause, CourseState, CourseStatus, UnitType } from '../domain';

interface UnitDocument {
  _id: ObjectId;
  title: string;
  version: number;
  pageIds: ObjectId[];
}

interface CourseDocument {
  _id: ObjectId;
  title: string;
  description?: string;
  categoryId: ObjectId;
  status: CourseStatus;
  /** `unitCount` is `units.length`, written with it: validators and the migrations read it. */
  structure: { unitType: UnitType; unitCount: number };
  units: UnitDocument[];
  version: number;
  /** The course's page-version counter: see `PageVersions`, its only writer after the insert. */
  lastPageVersion?: number;
  /** Legacy courses may have none, or an ObjectId. */
  createdBy?: string | ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

export type CourseSummary = Omit<CourseState, 'units'> & { unitCount: number };

export interface CourseCount {
  unitType: string;
  status: string;
  count: number;
}

const SUMMARY_FIELDS = {
  title: 1,
  description: 1,
  categoryId: 1,
  status: 1,
  structure: 1,
  version: 1,
  createdBy: 1,
  createdAt: 1,
  updatedAt: 1,
} as const;

type SummaryDocument = Omit<CourseDocument, 'units'>;

const courseFields = (doc: SummaryDocument): Omit<CourseState, 'units'> => ({
  id: doc._id.toHexString(),
  title: doc.title,
  description: doc.description ?? '',
  categoryId: doc.categoryId.toHexString(),
  status: doc.status,
  unitType: doc.structure.unitType,
  version: doc.version,
  createdBy: doc.createdBy === undefined ? '' : String(doc.createdBy),
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

const toSummary = (doc: SummaryDocument): CourseSummary => ({ ...courseFields(doc), unitCount: doc.structure.unitCount });

function fromDocument(doc: CourseDocument): CourseState {
  return {
    ...courseFields(doc),
    units: doc.units.map((unit) => ({
      id: unit._id.toHexString(),
      title: unit.title,
      version: unit.version,
      pageIds: unit.pageIds.map((id) => id.toHexString()),
    })),
  };
}

/** Everything a change may touch; fields this service does not know are left alone. */
function writableFields(course: CourseState, updatedAt: Date) {
  return {
    title: course.title,
    description: course.description,
    categoryId: new ObjectId(course.categoryId),
    status: course.status,
    structure: { unitType: course.unitType, unitCount: course.units.length },
    units: course.units.map((unit) => ({
      _id: new ObjectId(unit.id),
      title: unit.title,
      version: unit.version,
      pageIds: unit.pageIds.map((id) => new ObjectId(id)),
    })),
    version: course.version,
    updatedAt,
  };
}

/**
 * Courses the legacy migration has not reached yet (no `structure`) are not
 * served: they have none of the fields this service reads.
 */
const MIGRATED: Filter<CourseDocument> = { structure: { $exists: true } };

function clauseFilter(clause: CourseClause): Filter<CourseDocument> {
  const filter: Filter<CourseDocument> = {};
  if (clause.statuses) filter.status = { $in: [...clause.statuses] };
  if (clause.categoryIds) filter.categoryId = { $in: clause.categoryIds.map((id) => new ObjectId(id)) };
  return filter;
}

/** Where courses live: each call is one atomic operation on one course document (or one query). */
export interface CourseStore {
  /** The stored course, or `undefined` when there is none (or it is not migrated yet). */
  get(id: string): Promise<CourseState | undefined>;
  /** Only the version: what a cached copy is checked against. */
  versionOf(id: string): Promise<number | undefined>;
  insert(course: CourseState): Promise<void>;
  /**
   * Compare-and-set: writes `next` (stamped with a new `updatedAt`) if the
   * stored version is still `before`'s. The state written, or `undefined`
   * when another writer moved the version first.
   */
  replace(before: CourseState, next: CourseState): Promise<CourseState | undefined>;
  /** Courses matching any of `clauses` (none: nothing), by id. */
  list(clauses: readonly CourseClause[], size: number, cursor: string | undefined): Promise<{ items: CourseSummary[]; nextCursor: string }>;
  /** The id of the (migrated) course holding unit `unitId`, or `undefined`. */
  courseOfUnit(unitId: string): Promise<string | undefined>;
  /** How many courses there are per unit type and status. */
  census(): Promise<CourseCount[]>;
}

/**
 * Units live inside their course; finding a course from a unit id alone (a
 * unit's quiz list) is an index read on MongoDB. The local database scans for
 * any dotted filter (docs/local-database.md), which this rare lookup accepts.
 */
export const courseIndexes: CollectionIndexes = {
  collection: 'courses',
  indexes: [{ key: { 'units._id': 1 }, name: 'unit_ids' }],
};

export class MongoCourseStore implements CourseStore {
  private readonly courses: Collection<CourseDocument>;

  constructor(
    db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.courses = db.collection<CourseDocument>('courses');
  }

  async courseOfUnit(unitId: string): Promise<string | undefined> {
    const doc = await this.courses.findOne({ 'units._id': new ObjectId(unitId), ...MIGRATED }, { projection: { _id: 1 } });
    return doc?._id.toHexString();
  }

  async get(id: string): Promise<CourseState | undefined> {
    const doc = await this.courses.findOne({ _id: new ObjectId(id), ...MIGRATED });
    return doc ? fromDocument(doc) : undefined;
  }

  async versionOf(id: string): Promise<number | undefined> {
    const doc = await this.courses.findOne({ _id: new ObjectId(id), ...MIGRATED }, { projection: { version: 1 } });
    return doc?.version;
  }

  async insert(course: CourseState): Promise<void> {
    await this.courses.insertOne({
      _id: new ObjectId(course.id),
      ...writableFields(course, course.updatedAt),
      lastPageVersion: 0,
      createdBy: course.createdBy,
      createdAt: course.createdAt,
    });
  }

  async replace(before: CourseState, next: CourseState): Promise<CourseState | undefined> {
    const after = { ...next, updatedAt: this.now() };
    const { matchedCount } = await this.courses.updateOne(
      { _id: new ObjectId(before.id), version: before.version },
      { $set: writableFields(after, after.updatedAt) },
    );
    return matchedCount === 1 ? after : undefined;
  }

  async list(
    clauses: readonly CourseClause[],
    size: number,
    cursor: string | undefined,
  ): Promise<{ items: CourseSummary[]; nextCursor: string }> {
    const after = idAfter(cursor);
    if (clauses.length === 0) return { items: [], nextCursor: '' };
    const [only] = clauses;
    const visible = { ...(clauses.length === 1 && only ? clauseFilter(only) : { $or: clauses.map(clauseFilter) }), ...MIGRATED };
    const rows = await this.courses
      .find<SummaryDocument>(after ? { ...visible, _id: { $gt: new ObjectId(after) } } : visible, { projection: SUMMARY_FIELDS })
      .sort({ _id: 1 })
      .limit(size + 1)
      .toArray();
    const page = pageOf(rows, size, (row) => row._id.toHexString());
    return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
  }

  /** In one pass over two fields. */
  async census(): Promise<CourseCount[]> {
    const counts = new Map<string, CourseCount>();
    // Partial: courses not yet migrated have neither field.
    const cursor = this.courses.find<Partial<CourseDocument>>({}, { projection: { status: 1, 'structure.unitType': 1 } });
    for await (const doc of cursor) {
      const unitType = doc.structure?.unitType ?? 'none';
      const status = doc.status ?? 'none';
      const key = `${unitType}/${status}`;
      const count = counts.get(key) ?? { unitType, status, count: 0 };
      count.count += 1;
      counts.set(key, count);
    }
    return [...counts.values()];
  }
}
