import { addPage, addUnit, retitlePage, type CourseState } from '../../src/domain';
import { CourseCache, type CacheResult, type TreeSource } from '../../src/store/course-cache';
import { courseWith } from '../domain/helpers';

/** An in-memory database of one course and its page titles that counts what it is asked. */
function fakeSource(initial: CourseState) {
  const db = { course: initial, titles: new Map<string, string>() };
  for (const unit of initial.units) for (const id of unit.pageIds) db.titles.set(id, `title of ${id}`);
  const asked = { course: 0, versionOf: 0, titles: [] as string[] };
  const source: TreeSource = {
    course: (id) => Promise.resolve((asked.course++, id === db.course.id ? db.course : undefined)),
    versionOf: (id) => Promise.resolve((asked.versionOf++, id === db.course.id ? db.course.version : undefined)),
    titles: (ids) =>
      Promise.resolve(
        (asked.titles.push(...ids), new Map(ids.flatMap((id) => (db.titles.has(id) ? [[id, db.titles.get(id) ?? '']] : [])))),
      ),
  };
  return { db, asked, source };
}

function setup(course = courseWith([2, 1]), maxCourses = 10) {
  const fake = fakeSource(course);
  let clock = 0;
  const results: CacheResult[] = [];
  const cache = new CourseCache(fake.source, { maxCourses, revalidateMs: 1_000, now: () => clock, onRead: (r) => results.push(r) });
  return { ...fake, cache, results, advance: (ms: number) => (clock += ms) };
}

it('serves a tree from memory until it is old, then checks only the version', async () => {
  const { cache, asked, results, advance, db } = setup();
  const first = await cache.read(db.course.id);
  expect(first?.titles.size).toBe(3);
  advance(999);
  expect(await cache.read(db.course.id)).toBe(first);
  advance(1);
  expect(await cache.read(db.course.id)).toBe(first);
  expect(await cache.read(db.course.id)).toBe(first);
  expect(results).toEqual(['miss', 'hit', 'revalidated', 'hit']);
  expect(asked).toEqual({ course: 1, versionOf: 1, titles: first?.course.units.flatMap((u) => u.pageIds) });
});

it('rebuilds a tree that moved elsewhere, fetching again only the titles of units that changed', async () => {
  const { cache, asked, results, advance, db } = setup();
  await cache.read(db.course.id);
  const [u1, u2] = db.course.units;
  const renamed = u2?.pageIds[0] ?? '';
  db.course = addUnit(retitlePage(db.course, u2?.id ?? '', renamed), { id: '0000000000000000000000ff', title: 'New' });
  db.titles.set(renamed, 'renamed elsewhere');
  asked.titles.length = 0;
  advance(1_000);
  const tree = await cache.read(db.course.id);
  expect(results).toEqual(['miss', 'miss']);
  expect(tree?.course).toBe(db.course);
  expect(tree?.titles.get(renamed)).toBe('renamed elsewhere');
  expect(tree?.titles.get(u1?.pageIds[0] ?? '')).toBe(`title of ${u1?.pageIds[0] ?? ''}`);
  expect(asked.titles).toEqual([renamed]);
});

it('after a write here, holds the written version with no title fetched when it had the base', async () => {
  const { cache, asked, results, db } = setup();
  await cache.read(db.course.id);
  asked.titles.length = 0;
  const before = db.course;
  const pageId = '0000000000000000000000aa';
  db.course = addPage(before, before.units[0]?.id ?? '', pageId, 1);
  const tree = await cache.wrote(before, db.course, new Map([[pageId, 'New page']]));
  expect(tree.course).toBe(db.course);
  expect(tree.titles.get(pageId)).toBe('New page');
  expect(tree.titles.size).toBe(4);
  expect(asked.titles).toEqual([]);
  expect(await cache.read(db.course.id)).toBe(tree);
  expect(results).toEqual(['miss', 'hit']);
});

it('never replaces a tree by an older version (a slow read that started before a write)', async () => {
  const { cache, db, source } = setup();
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const before = db.course;
  source.course = async () => (await gate, before);
  const slowRead = cache.read(before.id);
  db.course = addUnit(before, { id: '0000000000000000000000ff', title: 'New' });
  const written = await cache.wrote(before, db.course);
  release();
  expect((await slowRead)?.course).toBe(before);
  expect(await cache.read(before.id)).toBe(written);
});

it('shares one database round among concurrent readers', async () => {
  const { cache, asked, db, results } = setup();
  const trees = await Promise.all(Array.from({ length: 20 }, () => cache.read(db.course.id)));
  expect(new Set(trees).size).toBe(1);
  expect(asked.course).toBe(1);
  expect(results.filter((r) => r === 'miss')).toHaveLength(20);
});

it('answers nothing for an unknown course', async () => {
  const { cache } = setup();
  expect(await cache.read('0000000000000000000000ee')).toBeUndefined();
});

it('forgets the least recently used course beyond its bound', async () => {
  const courses = [1, 2, 3].map((n) => ({ ...courseWith([]), id: n.toString(16).padStart(24, '0') }));
  const byId = new Map(courses.map((c) => [c.id, c]));
  let loads = 0;
  const cache = new CourseCache(
    {
      course: (id) => Promise.resolve((loads++, byId.get(id))),
      versionOf: (id) => Promise.resolve(byId.get(id)?.version),
      titles: () => Promise.resolve(new Map()),
    },
    { maxCourses: 2, revalidateMs: 1_000, now: () => 0 },
  );
  const [a, b, c] = courses.map((course) => course.id);
  await cache.read(a ?? '');
  await cache.read(b ?? '');
  await cache.read(a ?? ''); // a is now the most recent
  await cache.read(c ?? ''); // evicts b
  expect(loads).toBe(3);
  await cache.read(a ?? '');
  expect(loads).toBe(3);
  await cache.read(b ?? '');
  expect(loads).toBe(4);
});

it('keeps the tree of a later write when an earlier write reports after it', async () => {
  const { cache, db } = setup();
  const v1 = db.course;
  const v2 = addUnit(v1, { id: '0000000000000000000000f1', title: 'A' });
  const v3 = addUnit(v2, { id: '0000000000000000000000f2', title: 'B' });
  const later = await cache.wrote(v2, v3);
  const earlier = await cache.wrote(v1, v2);
  expect(earlier.course).toBe(v2);
  expect(await cache.read(v1.id)).toBe(later);
});
