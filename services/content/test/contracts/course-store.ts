/**
 * What every CourseStore promises: run against the in-memory fake
 * (store/course-store.test.ts) and against the MongoDB adapter on the local
 * database (store/course-store.int.test.ts).
 */
import { ObjectId } from 'mongodb';
import { addPage, addUnit, createCourse, publish, type CourseState } from '../../src/domain';
import type { CourseStore } from '../../src/store/courses';

const newId = () => new ObjectId().toHexString();
const NOW = new Date('2026-12-07T10:00:00.000Z');

export function courseStoreContract(open: () => Promise<CourseStore> | CourseStore): void {
  let store: CourseStore;
  let categoryId: string;
  const course = (extra: { unitType?: 'unit' | 'week'; categoryId?: string } = {}): CourseState =>
    createCourse({ id: newId(), title: 'Origami', categoryId, unitType: 'unit', createdBy: newId(), now: NOW, ...extra });

  beforeEach(async () => {
    store = await open();
    categoryId = newId();
  });

  test('a course is read back as stored, with its units and pages; an unknown one is undefined', async () => {
    const unitId = newId();
    const stored = addPage(addUnit(course(), { id: unitId, title: 'Folds' }), unitId, newId());
    await store.insert(stored);
    expect(await store.get(stored.id)).toEqual(stored);
    expect(await store.versionOf(stored.id)).toBe(stored.version);
    expect(await store.get(newId())).toBeUndefined();
    expect(await store.versionOf(newId())).toBeUndefined();
  });

  test('replace is a compare-and-set on the version, stamping the time written; a stale one changes nothing', async () => {
    const before = course();
    await store.insert(before);
    const next = { ...addUnit(before, { id: newId(), title: 'Folds' }), version: before.version + 1 };
    const written = await store.replace(before, next);
    const { updatedAt, ...fields } = written!;
    const { updatedAt: _before, ...nextFields } = next;
    expect(fields).toEqual(nextFields);
    expect(updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect(await store.get(before.id)).toEqual(written);

    expect(await store.replace(before, { ...next, title: 'Stale', version: before.version + 1 })).toBeUndefined();
    expect(await store.get(before.id)).toEqual(written);
  });

  test('list: the courses matching any clause, as summaries with their unit count, by id, a page at a time', async () => {
    const draft = course();
    const published = publish(addUnit(course(), { id: newId(), title: 'Folds' }));
    const elsewhere = publish(course({ categoryId: newId() }));
    for (const one of [draft, published, elsewhere]) await store.insert(one);
    const ids = async (...args: Parameters<CourseStore['list']>) => (await store.list(...args)).items.map((item) => item.id);

    expect(await ids([{ categoryIds: [categoryId] }], 10, undefined)).toEqual([draft.id, published.id]);
    expect(await ids([{ statuses: ['published'] }], 10, undefined)).toEqual([published.id, elsewhere.id]);
    expect(await ids([{ statuses: ['draft'] }, { categoryIds: [elsewhere.categoryId] }], 10, undefined)).toEqual([draft.id, elsewhere.id]);
    expect(await ids([], 10, undefined)).toEqual([]);

    const { units, ...fields } = published;
    const first = await store.list([{ statuses: ['draft', 'published'] }], 1, undefined);
    expect(first.items.map((item) => item.id)).toEqual([draft.id]);
    const second = await store.list([{ statuses: ['draft', 'published'] }], 1, first.nextCursor);
    expect(second.items).toEqual([{ ...fields, unitCount: units.length }]);
    const last = await store.list([{ statuses: ['draft', 'published'] }], 1, second.nextCursor);
    expect(last).toEqual({ items: [elsewhere].map(({ units: none, ...rest }) => ({ ...rest, unitCount: none.length })), nextCursor: '' });
    await expect(store.list([{ statuses: ['draft'] }], 1, draft.id)).rejects.toMatchObject({ kind: 'invalid' });
  });

  test('the course of a unit is found by the unit alone', async () => {
    const unitId = newId();
    const holding = addUnit(course(), { id: unitId, title: 'Folds' });
    await store.insert(holding);
    await store.insert(course());
    expect(await store.courseOfUnit(unitId)).toBe(holding.id);
    expect(await store.courseOfUnit(newId())).toBeUndefined();
  });

  test('the census counts courses per unit type and status', async () => {
    for (const one of [course(), course(), publish(course()), course({ unitType: 'week' })]) await store.insert(one);
    const counts = (await store.census()).sort((a, b) => `${a.unitType}/${a.status}`.localeCompare(`${b.unitType}/${b.status}`));
    expect(counts).toEqual([
      { unitType: 'unit', status: 'draft', count: 2 },
      { unitType: 'unit', status: 'published', count: 1 },
      { unitType: 'week', status: 'draft', count: 1 },
    ]);
  });
}
