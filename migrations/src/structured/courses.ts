/**
 * Courses: units and pages from the legacy modules, then, on every later
 * run, what the monolith changed since (the catch-up).
 *
 * First run: a course's pages are inserted before the one update that gives
 * it `structure`, `units` and its marker (`migrationSync`, sync.ts), so the
 * content service (which serves a course only once it has `structure`) never
 * sees a half-migrated course.
 *
 * Catch-up: the marker says what changed. A module whose legacy content
 * changed is rewritten (its unit's title and pages, new page versions from
 * the course's counter, as the content service takes them) when authors
 * have not changed that unit in the new shape; a change of the course's
 * structure (modules added, removed or reordered, category, publication) is
 * brought over when authors have not changed the course at all. Anything
 * else was changed on both sides: reported by id, both kept, nothing brought
 * over. The course itself is written by one compare-and-set on its version,
 * each replaced page by one on its own, so a concurrent author wins and the
 * run reports it.
 */
import type { Collection, Document, ObjectId } from 'mongodb';
import { insertCreated, runPass, type Plan, type RunContext } from '../pass';
import { courseSync, legacyChanges, newShapeUntouched, unitShape, type CourseSync, type UnitSync } from '../sync';
import {
  hexOf,
  orderProblems,
  structureCourse,
  type CategoryIdFor,
  type LegacyCourse,
  type PageDocument,
  type UnitDocument,
} from '../transform';

/** What the passes of one run tell each other. */
export interface CourseRun {
  categoryIdFor: CategoryIdFor;
  /** Courses whose units or pages the catch-up rewrote: their quizzes' places are derived again. */
  changedCourses: Set<string>;
}

export async function courses(ctx: RunContext, run: CourseRun): Promise<void> {
  await runPass(ctx, {
    collection: 'courses',
    label: 'courses',
    plan: () => undefined,
    planBatch: (docs) =>
      Promise.all(
        docs.map(async (doc): Promise<Plan | undefined> => {
          const course = doc as LegacyCourse;
          if (doc.structure === undefined) return firstRun(ctx, run, course);
          const sync = doc.migrationSync as CourseSync | undefined;
          // No marker: a course made in the new shape; the monolith has nothing of it to bring over.
          if (!sync) return undefined;
          const changes = legacyChanges(course, sync);
          if (!changes.structure && changes.modules.length === 0) return undefined;
          return (await catchUp(ctx, run, course._id)) ? { handled: true } : undefined;
        }),
      ),
  });
}

function firstRun(ctx: RunContext, run: CourseRun, course: LegacyCourse): Plan {
  const id = hexOf(course._id);
  const problems = orderProblems(Array.isArray(course.modules) ? course.modules : []);
  if (problems.length > 0) ctx.report.conflict({ kind: 'bad-order', collection: 'courses', id, detail: problems.join('; ') });
  const { fields, pages } = structureCourse(course, run.categoryIdFor);
  ctx.report.detail(`course ${id} "${course.title}": ${fields.structure.unitCount} unit(s), ${pages.length} page(s)`, {
    course: id,
    structure: fields.structure,
    units: fields.units.map((u) => ({ id: u._id.toHexString(), title: u.title, pages: u.pageIds.length })),
  });
  const migrationSync = courseSync(course, fields.units, fields.version, fields.lastPageVersion);
  return { inserts: pages.map((page) => ({ collection: 'pages', doc: page })), update: { $set: { ...fields, migrationSync } } };
}

interface StoredPage {
  _id: ObjectId;
  version: number;
  createdAt?: Date;
  deletedAt?: Date;
}

/** The stored pages of these ids (missing ones left out). */
async function storedPages(pages: Collection<Document>, ids: readonly ObjectId[]): Promise<Map<string, StoredPage>> {
  const found = await Promise.all(ids.map((_id) => pages.findOne({ _id }, { projection: { version: 1, createdAt: 1, deletedAt: 1 } })));
  return new Map(found.flatMap((page) => (page ? [[hexOf(page._id), page as unknown as StoredPage] as const] : [])));
}

/** Whether authors left a unit as the migration last wrote it: same title and pages, no page edited since. */
async function unitUntouched(pages: Collection<Document>, unit: UnitDocument | undefined, sync: UnitSync | undefined, pageVersion: number) {
  if (!unit || !sync || unitShape(unit) !== sync.shape) return false;
  const stored = await storedPages(pages, unit.pageIds);
  return unit.pageIds.every((id) => {
    const page = stored.get(id.toHexString());
    return page !== undefined && page.version <= pageVersion;
  });
}

/** Brings one course's legacy changes over; true when it wrote something. */
async function catchUp(ctx: RunContext, run: CourseRun, courseId: ObjectId): Promise<boolean> {
  const { report } = ctx;
  const courses = ctx.db.collection('courses');
  const pages = ctx.db.collection('pages');
  const id = courseId.toHexString();
  // What is stored now: the stream's copy may be older than an author's write.
  const current = await courses.findOne({ _id: courseId });
  const sync = current?.migrationSync as CourseSync | undefined;
  if (!current || !sync) return false;
  const changes = legacyChanges(current as LegacyCourse, sync);
  const legacyNow = structureCourse(current as LegacyCourse, run.categoryIdFor);
  const units = current.units as UnitDocument[];
  const conflict = (detail: string) => report.conflict({ kind: 'edited-on-both-sides', collection: 'courses', id, detail });

  let rewritten: Set<string>;
  let nextUnits: UnitDocument[];
  if (changes.structure) {
    if (!newShapeUntouched(current, sync)) {
      conflict(
        "the monolith changed the course's modules, order, category or publication, and authors changed it in the new shape: both kept, nothing brought over",
      );
      return false;
    }
    rewritten = new Set(legacyNow.fields.units.map((unit) => unit._id.toHexString()));
    // Units keep growing their versions: a unit at a position is never again at an older one.
    nextUnits = legacyNow.fields.units.map((unit) => ({ ...unit, version: (units.find((u) => u._id.equals(unit._id))?.version ?? 0) + 1 }));
  } else {
    rewritten = new Set();
    for (const unitId of changes.modules) {
      const unit = units.find((u) => u._id.toHexString() === unitId);
      const unitSync = sync.units.find((u) => u.id.toHexString() === unitId);
      if (await unitUntouched(pages, unit, unitSync, sync.pageVersion)) rewritten.add(unitId);
      else conflict(`module ${unitId}: changed in the monolith and in the new shape: both kept, nothing brought over`);
    }
    nextUnits = units.map((unit) => {
      if (!rewritten.has(unit._id.toHexString())) return unit;
      const legacy = legacyNow.fields.units.find((u) => u._id.equals(unit._id))!;
      return { ...legacy, version: unit.version + 1 };
    });
  }
  if (rewritten.size === 0) return false;

  const retiring = (changes.structure ? units : units.filter((u) => rewritten.has(u._id.toHexString()))).flatMap((u) => u.pageIds);
  const writing = legacyNow.pages.filter((page) => rewritten.has(page.unitId.toHexString()));
  report.detail(`course ${id}: ${changes.structure ? 'structure' : `module(s) ${[...rewritten].join(', ')}`} brought over`, {
    course: id,
    caughtUp: changes.structure ? 'structure' : [...rewritten],
    pages: writing.length,
  });
  if (ctx.options.dryRun) {
    report.counts('pages').updated += writing.length;
    return true;
  }

  // New page versions from the course's own counter, above every version a page of it ever had.
  const counter = await courses.findOneAndUpdate(
    { _id: courseId, lastPageVersion: { $exists: true } },
    { $inc: { lastPageVersion: writing.length } },
    { returnDocument: 'after' },
  );
  if (!counter) return false;
  const lastPageVersion = counter.lastPageVersion as number;
  const first = lastPageVersion - writing.length + 1;
  const stored = await storedPages(
    pages,
    writing.map((page) => page._id),
  );
  const fresh: PageDocument[] = [];
  for (const [i, page] of writing.entries()) {
    const before = stored.get(page._id.toHexString());
    const next: PageDocument = { ...page, version: first + i, updatedAt: current.updatedAt as Date };
    if (!before) {
      fresh.push(next);
      continue;
    }
    const { matchedCount } = await pages.replaceOne(
      { _id: page._id, version: before.version },
      { ...next, createdAt: before.createdAt ?? page.createdAt },
    );
    if (matchedCount === 0) {
      report.counts('courses').changed += 1;
      report.conflict({
        kind: 'changed-meanwhile',
        collection: 'pages',
        id: page._id.toHexString(),
        detail: `page of course ${id} changed by an author during the run: left for the next run`,
      });
      return false;
    }
    report.counts('pages').updated += 1;
  }
  await insertCreated(ctx, 'pages', fresh);

  const version = (current.version as number) + 1;
  const structural = changes.structure ? { status: legacyNow.fields.status, categoryId: legacyNow.fields.categoryId } : {};
  const { matchedCount } = await courses.updateOne(
    { _id: courseId, version: current.version as number },
    {
      $set: {
        ...structural,
        units: nextUnits,
        'structure.unitCount': nextUnits.length,
        version,
        migrationSync: nextSync(current as LegacyCourse, sync, nextUnits, rewritten, version, lastPageVersion),
      },
    },
  );
  if (matchedCount === 0) {
    report.counts('courses').changed += 1;
    report.conflict({
      kind: 'changed-meanwhile',
      collection: 'courses',
      id,
      detail: 'changed by an author during the run: left for the next run',
    });
    return false;
  }
  const kept = new Set(nextUnits.flatMap((unit) => unit.pageIds.map((pageId) => pageId.toHexString())));
  const deletedAt = new Date();
  for (const pageId of retiring.filter((pageId) => !kept.has(pageId.toHexString())))
    await pages.updateOne({ _id: pageId, deletedAt: { $exists: false } }, { $set: { deletedAt } });
  run.changedCourses.add(id);
  return true;
}

/**
 * The marker after a catch-up: the rewritten units in sync with the legacy
 * side, the others keeping their legacy digest (a conflict stays one, and is
 * reported again by the next run). The structure is the legacy one now:
 * either it did not change or everything was rewritten.
 */
function nextSync(
  course: LegacyCourse,
  previous: CourseSync,
  units: readonly UnitDocument[],
  rewritten: ReadonlySet<string>,
  version: number,
  pageVersion: number,
): CourseSync {
  const now = courseSync(course, units, version, pageVersion);
  return {
    ...now,
    units: now.units.map((unit) =>
      rewritten.has(unit.id.toHexString()) ? unit : { ...unit, legacy: previous.units.find((u) => u.id.equals(unit.id))?.legacy ?? '' },
    ),
  };
}
