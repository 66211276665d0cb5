import type { DomainError } from '@testmancer/shared';
import { domainRejection } from '@testmancer/testing';
import { ObjectId } from 'mongodb';
import { admin, contentReplica, courseWithUnit, memoryDatabase, student, subadminOf } from '../fakes/content';

const rejects = domainRejection;

const markdown = (text: string) => ({ type: 'markdown' as const, markdown: text });

describe('who may do what (the shared rule)', () => {
  test('a draft course is not found for a student and for a subadmin out of scope; a published one is seen but not changed', async () => {
    const replica = contentReplica(memoryDatabase());
    const { courseId, categoryId } = await courseWithUnit(replica);
    const outOfScope = subadminOf(new ObjectId().toHexString());
    await rejects(replica.courses.getCourse(student, courseId), 'not_found');
    await rejects(replica.courses.updateCourse(outOfScope, courseId, { title: 'x' }), 'not_found');
    await replica.courses.changeStatus(admin, courseId, 'publish');
    expect((await replica.courses.getCourse(student, courseId)).course.status).toBe('published');
    await rejects(replica.courses.updateCourse(outOfScope, courseId, { title: 'x' }), 'forbidden');
    const inScope = subadminOf(categoryId.toUpperCase());
    expect((await replica.courses.updateCourse(inScope, courseId, { title: 'Geometry' })).course.title).toBe('Geometry');
  });

  test('only admins create categories', async () => {
    const replica = contentReplica(memoryDatabase());
    await rejects(replica.categories.createCategory(subadminOf(), 'Maths'), 'forbidden');
    await rejects(replica.categories.createCategory({ kind: 'anonymous' }, 'Maths'), 'forbidden');
    expect((await replica.categories.createCategory(admin, ' Maths ')).name).toBe('Maths');
  });

  test("another user's progress is read by the course's authors only", async () => {
    const replica = contentReplica(memoryDatabase());
    const { courseId, unitId } = await courseWithUnit(replica);
    await replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [] });
    await replica.courses.changeStatus(admin, courseId, 'publish');
    const viewer = student.kind === 'user' ? student.userId : '';
    await replica.progress.markPageViewed(student, { courseId, unitId, pageOrder: 1 });
    expect((await replica.progress.getProgress(admin, courseId, viewer)).progress.completedPages).toBe(1);
    await rejects(replica.progress.getProgress(subadminOf(), courseId, viewer), 'forbidden');
  });

  test('a page mark is one write, and none for a page this process has recorded; another replica writes its own, changing nothing', async () => {
    const db = memoryDatabase();
    const replica = contentReplica(db);
    const { courseId, unitId } = await courseWithUnit(replica);
    await replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [] });
    await replica.pages.createPage(admin, { courseId, unitId }, { title: 'Two', blocks: [] });
    await replica.courses.changeStatus(admin, courseId, 'publish');
    const viewer = student.kind === 'user' ? student.userId : '';
    const writes = () => db.progress.steps.callsOf('markViewed');
    expect((await replica.progress.markPageViewed(student, { courseId, unitId, pageOrder: 1 })).newlyRecorded).toBe(true);
    expect((await replica.progress.markPageViewed(student, { courseId, unitId, pageOrder: 1 })).newlyRecorded).toBe(false);
    expect(writes()).toBe(1);
    // Still checked before the memory answers: a page that is not there, a caller who may not see the course.
    await rejects(replica.progress.markPageViewed(student, { courseId, unitId, pageOrder: 3 }), 'not_found');
    await replica.courses.changeStatus(admin, courseId, 'unpublish');
    await rejects(replica.progress.markPageViewed(student, { courseId, unitId, pageOrder: 1 }), 'not_found');
    await replica.courses.changeStatus(admin, courseId, 'publish');
    const other = contentReplica(db);
    expect((await other.progress.markPageViewed(student, { courseId, unitId, pageOrder: 1 })).newlyRecorded).toBe(true);
    await other.progress.markPageViewed(student, { courseId, unitId, pageOrder: 2 });
    expect(writes()).toBe(3);
    expect((await replica.progress.getProgress(student, courseId, viewer)).progress.completedPages).toBe(2);
  });
});

describe('compare-and-set through the shared policy', () => {
  test('concurrent unit creations on one course all land, each once', async () => {
    const db = memoryDatabase();
    const replicas = [contentReplica(db), contentReplica(db), contentReplica(db)];
    const { courseId } = await courseWithUnit(replicas[0]!);
    await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        replicas[i % replicas.length]!.courses.createUnit(admin, courseId, { title: `Unit ${String(i)}` }),
      ),
    );
    const { course } = await replicas[1]!.courses.getCourse(admin, courseId);
    expect(course.units).toHaveLength(16);
    expect(new Set(course.units.map((unit) => unit.title)).size).toBe(16);
    expect(db.courses.courses.get(courseId)?.version).toBe(course.version);
  });

  test('concurrent edits of one page all land, one version each', async () => {
    const db = memoryDatabase();
    const replica = contentReplica(db);
    const { courseId, unitId } = await courseWithUnit(replica);
    const { placed } = await replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [] });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        replica.pages.updatePage(admin, { courseId, unitId, pageOrder: 1 }, { blocks: [markdown(`edit ${String(i)}`)] }),
      ),
    );
    expect(db.pages.pages.get(placed.page.id)?.version).toBe(placed.page.version + 10);
  });

  test('a stale If-Match is a 412 naming the current version, and changes nothing', async () => {
    const db = memoryDatabase();
    const replica = contentReplica(db);
    const { courseId, unitId } = await courseWithUnit(replica);
    const { placed } = await replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [] });
    await replica.pages.updatePage(admin, { courseId, unitId, pageOrder: 1 }, { title: 'Two' });
    const error = await rejects(
      replica.pages.updatePage(admin, { courseId, unitId, pageOrder: 1 }, { title: 'Three' }, placed.page.version),
      'stale',
    );
    expect(error.message).toMatch(/page/);
    expect(db.pages.pages.get(placed.page.id)?.title).toBe('Two');
  });
});

describe('pages', () => {
  test('a bad block is refused naming its field, and nothing is stored', async () => {
    const db = memoryDatabase();
    const replica = contentReplica(db);
    const { courseId, unitId } = await courseWithUnit(replica);
    const error = await rejects(
      replica.pages.createPage(
        admin,
        { courseId, unitId },
        { title: 'One', blocks: [markdown('ok'), { type: 'embed', url: 'http://x.example' }, undefined] },
      ),
      'invalid',
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(['blocks/1/url', 'blocks/2/type']);
    expect(db.pages.pages.size).toBe(0);
  });

  test('a renamed page shows its new title in the course tree of another replica', async () => {
    const db = memoryDatabase();
    const [writer, reader] = [contentReplica(db), contentReplica(db)];
    const { courseId, unitId } = await courseWithUnit(writer);
    await writer.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [] });
    expect((await reader.pages.listPages(admin, courseId, unitId)).map((p) => p.title)).toEqual(['One']);
    await writer.pages.updatePage(admin, { courseId, unitId, pageOrder: 1 }, { title: 'Renamed' });
    expect((await reader.pages.listPages(admin, courseId, unitId)).map((p) => p.title)).toEqual(['Renamed']);
  });
});

describe('deleting a page with If-Match', () => {
  // The delete is conditional on the version in the same operation as the write: an edit that
  // lands first makes it a 412, one that comes after finds no page. Never do both succeed.
  test('an edit racing the delete is never lost: either the delete is 412 and the edit stays, or the edit fails and the page is gone', async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < 40; round++) {
      const db = memoryDatabase();
      const replica = contentReplica(db);
      const { courseId, unitId } = await courseWithUnit(replica);
      const { placed } = await replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [] });
      const where = { courseId, unitId, pageOrder: 1 };
      const [edit, removal] = await Promise.allSettled([
        replica.pages.updatePage(admin, where, { blocks: [markdown('the edit')] }),
        replica.pages.deletePage(admin, where, placed.page.version),
      ]);
      expect(edit.status === 'fulfilled' && removal.status === 'fulfilled').toBe(false);
      const stored = db.pages.pages.get(placed.page.id);
      const listed = db.courses.courses.get(courseId)?.units[0]?.pageIds.includes(placed.page.id);
      if (edit.status === 'fulfilled') {
        expect(removal.status === 'rejected' && (removal.reason as DomainError).kind).toBe('stale');
        expect(listed).toBe(true);
        expect(stored?.blocks).toEqual([markdown('the edit')]);
        outcomes.add('edit kept, delete 412');
      } else {
        expect((edit.reason as DomainError).kind).toBe('not_found');
        expect(removal.status).toBe('fulfilled');
        expect(listed).toBe(false);
        outcomes.add('page deleted, edit 404');
      }
    }
    // Both orders happened: the race was really run.
    expect(outcomes.size).toBe(2);
  });

  test('a course change that fails after the page was marked deleted brings the page back', async () => {
    const db = memoryDatabase();
    const replica = contentReplica(db);
    const { courseId, unitId } = await courseWithUnit(replica);
    const { placed } = await replica.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [] });
    db.courses.steps.crashBefore('replace');
    await expect(replica.pages.deletePage(admin, { courseId, unitId, pageOrder: 1 }, placed.page.version)).rejects.toThrow(
      'simulated failure',
    );
    expect((await replica.pages.getPage(admin, { courseId, unitId, pageOrder: 1 })).page.title).toBe('One');
  });
});

describe('renaming a page', () => {
  test('when the course version bump fails, the rename is undone, so every replica shows the title the page has', async () => {
    const db = memoryDatabase();
    const logged: unknown[] = [];
    const [writer, reader] = [contentReplica(db, { logged }), contentReplica(db, { revalidateMs: 0 })];
    const { courseId, unitId } = await courseWithUnit(writer);
    await writer.pages.createPage(admin, { courseId, unitId }, { title: 'One', blocks: [] });
    const where = { courseId, unitId, pageOrder: 1 };
    expect((await reader.pages.listPages(admin, courseId, unitId)).map((p) => p.title)).toEqual(['One']);

    db.courses.steps.crashBefore('replace');
    await expect(writer.pages.updatePage(admin, where, { title: 'Renamed', blocks: [markdown('new')] })).rejects.toThrow(
      'simulated failure',
    );

    const shown = (await reader.pages.listPages(admin, courseId, unitId)).map((p) => p.title);
    const page = (await reader.pages.getPage(admin, where)).page;
    expect(shown).toEqual([page.title]);
    expect(page.title).toBe('One');
    expect(page.blocks).toEqual([]);
    expect(logged).toEqual([]);

    // And a retry lands everywhere.
    await writer.pages.updatePage(admin, where, { title: 'Renamed' });
    expect((await reader.pages.listPages(admin, courseId, unitId)).map((p) => p.title)).toEqual(['Renamed']);
  });
});
