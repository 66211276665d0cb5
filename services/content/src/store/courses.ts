import { decodeCursor, KeyedQueue, notFound, pageOf } from '@testmancer/shared';
import { ObjectId, type Collection, type Db, type Filter } from 'mongodb';
import type { CourseClause, CourseState, CourseStatus, UnitType } from '../domain';
import { untilWritten } from './writes';

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

export class CourseStore {
  private readonly courses: Collection<CourseDocument>;
  private readonly turns = new KeyedQueue();

  constructor(
    db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.courses = db.collection<CourseDocument>('courses');
  }

  async get(id: string): Promise<CourseState | undefined> {
    const doc = await this.courses.findOne({ _id: new ObjectId(id), ...MIGRATED });
    return doc ? fromDocument(doc) : undefined;
  }

  /** Only the version: what a cached copy is checked against. */
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

  /**
   * Applies `change` to the stored course and writes the result if the
   * version is still the one read, reading again when another writer won.
   * A change that returns its input writes nothing. Answers the state the
   * change was applied to and the state written. Changes to one course from
   * this process take turns.
   */
  async change(id: string, change: (course: CourseState) => CourseState): Promise<{ before: CourseState; after: CourseState }> {
    return this.turns.run(id, () =>
      untilWritten('course', async () => {
        const before = await this.get(id);
        if (!before) throw notFound('course');
        const next = change(before);
        if (next === before) return { before, after: before };
        const after = { ...next, updatedAt: this.now() };
        const { matchedCount } = await this.courses.updateOne(
          { _id: new ObjectId(id), version: before.version },
          { $set: writableFields(after, after.updatedAt) },
        );
        return matchedCount === 1 ? { before, after } : undefined;
      }),
    );
  }

  /** Courses matching any of `clauses` (none: nothing), by id. */
  async list(clauses: readonly CourseClause[], size: number, cursor: string | undefined): Promise<{ items: CourseSummary[]; nextCursor: string }> {
    const after = decodeCursor(cursor);
    if (clauses.length === 0) return { items: [], nextCursor: '' };
    const [only] = clauses;
    const visible = { ...(clauses.length === 1 && only ? clauseFilter(only) : { $or: clauses.map(clauseFilter) }), ...MIGRATED };
    const rows = await this.courses
      .find<SummaryDocument>(after ? { ...visible, _id: { $gt: after } } : visible, { projection: SUMMARY_FIELDS })
      .sort({ _id: 1 })
      .limit(size + 1)
      .toArray();
    const page = pageOf(rows, size);
    return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
  }

  /** How many courses there are per unit type and status, in one pass over two fields. */
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
