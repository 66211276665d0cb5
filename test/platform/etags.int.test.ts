/**
 * Units and pages serve their position (`order`, `pageOrder`), and pages are
 * even addressed by it. So a change of position is a change (a new version,
 * a new ETag), and an ETag served for one page must never match another page
 * that later stands at the same URL: not on If-None-Match (a 304 would tell
 * the client its copy of the old page is current) and not on If-Match (a
 * PATCH or DELETE would hit a page the client never read).
 */
import { MongoClient, ObjectId } from 'mongodb';
import { api, expectProblem, user, type ApiResponse, type TestUser } from '../support/api';
import { expectStatus, markdown, must, newCourseTree, readTree, type CourseTree } from '../support/content';

let admin: TestUser;
let client: MongoClient;
beforeAll(async () => {
  admin = await user('admin');
  client = await MongoClient.connect(process.env.TEST_MONGODB_URI!);
});
afterAll(() => client.close());

const unitPath = (t: CourseTree, unitId: string) => `/api/courses/${t.courseId}/units/${unitId}`;
const pagesPath = (t: CourseTree) => `${unitPath(t, t.unitIds[0]!)}/pages`;
const pagePath = (t: CourseTree, pageOrder: number) => `${pagesPath(t)}/${pageOrder}`;

const read = async (path: string) => {
  const res = await api('GET', path, { as: admin });
  expectStatus(res, 200);
  return { body: res.body, etag: res.headers.get('etag')! };
};
const revalidate = (path: string, etag: string) => api('GET', path, { as: admin, headers: { 'if-none-match': etag } });

/** A stale ETag: 200 with what is there now, under another ETag. */
function expectNewRepresentation(res: ApiResponse, etag: string): void {
  expectStatus(res, 200);
  expect(res.headers.get('etag')).not.toBe(etag);
  expect(res.headers.get('etag')).toBe(`"${res.body.version}"`);
}

describe('ETags and If-None-Match', () => {
  const resources = [
    { name: 'a course', path: (courseId: string) => `/api/courses/${courseId}`, change: { title: 'Changed course' } },
    {
      name: 'a unit',
      path: (courseId: string, unitId: string) => `/api/courses/${courseId}/units/${unitId}`,
      change: { title: 'Changed unit' },
    },
    {
      name: 'a unit (modules path)',
      path: (courseId: string, unitId: string) => `/api/courses/${courseId}/modules/${unitId}`,
      change: { title: 'Changed module' },
    },
    {
      name: 'a page',
      path: (courseId: string, unitId: string) => `/api/courses/${courseId}/units/${unitId}/pages/1`,
      change: { blocks: [markdown('Changed page')] },
    },
  ];

  test.each(resources)('$name: current ETag → 304, stale ETag → 200 with the new body', async ({ path, change }) => {
    const tree = await newCourseTree({ units: 1, pages: 1, published: true });
    const admin = await user('admin');
    const url = path(tree.courseId, tree.unitIds[0]!);
    const first = await api('GET', url, { as: admin });
    expectStatus(first, 200);
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(`"${first.body.version}"`);
    expect(first.headers.get('vary')).toMatch(/authorization/i);

    const notModified = await api('GET', url, { as: admin, headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.get('etag')).toBe(etag);

    const changed = await must(200, 'PATCH', url, { as: admin, body: change });
    const afterChange = await api('GET', url, { as: admin, headers: { 'if-none-match': etag } });
    expectStatus(afterChange, 200);
    expect(afterChange.body).toEqual(changed);
    expect(afterChange.body).toMatchObject(change);
    const newEtag = afterChange.headers.get('etag')!;
    expect(newEtag).not.toBe(etag);
    expect((await api('GET', url, { as: admin, headers: { 'if-none-match': newEtag } })).status).toBe(304);
    expect((await api('GET', url, { as: admin, headers: { 'if-none-match': `"0", ${newEtag}` } })).status).toBe(304);
  });
});

describe('units: a change of order is a change of the unit', () => {
  test('a unit inserted before it: its old ETag gets 200 with the new order, and If-Match with it is a 412 that changes nothing', async () => {
    const tree = await newCourseTree({ units: 2, pages: 0 });
    const path = unitPath(tree, tree.unitIds[1]!);
    const before = await read(path);
    expect(before.body.order).toBe(2);
    expect((await revalidate(path, before.etag)).status).toBe(304);

    await must(201, 'POST', `/api/courses/${tree.courseId}/units`, { as: admin, body: { title: 'Inserted', position: 1 } });

    const after = await revalidate(path, before.etag);
    expectNewRepresentation(after, before.etag);
    expect(after.body).toEqual({ ...before.body, order: 3, version: before.body.version + 1 });
    const snapshot = await readTree(tree.courseId);
    expectProblem(await api('PATCH', path, { as: admin, body: { title: 'Stale' }, headers: { 'if-match': before.etag } }), 412);
    expectProblem(await api('DELETE', path, { as: admin, headers: { 'if-match': before.etag } }), 412);
    expect(await readTree(tree.courseId)).toEqual(snapshot);
    expect(
      await must(200, 'PATCH', path, { as: admin, body: { title: 'Fresh' }, headers: { 'if-match': after.headers.get('etag')! } }),
    ).toMatchObject({ order: 3, title: 'Fresh' });
  });

  test('reorders and removals change exactly the units whose order changed; the others still answer 304', async () => {
    const tree = await newCourseTree({ units: 4, pages: 0 });
    const [u1, u2, u3, u4] = tree.unitIds as [string, string, string, string];
    const etags = async () => Promise.all(tree.unitIds.map(async (id) => (await read(unitPath(tree, id))).etag));
    const [e1, e2, e3, e4] = await etags();

    await must(200, 'PUT', `/api/courses/${tree.courseId}/units/order`, { as: admin, body: { unitIds: [u1, u3, u2, u4] } });
    expect((await revalidate(unitPath(tree, u1), e1!)).status).toBe(304);
    expectNewRepresentation(await revalidate(unitPath(tree, u2), e2!), e2!);
    expectNewRepresentation(await revalidate(unitPath(tree, u3), e3!), e3!);
    expect((await revalidate(unitPath(tree, u4), e4!)).status).toBe(304);

    const [, f2, , f4] = await etags();
    await must(204, 'DELETE', unitPath(tree, u3), { as: admin });
    expect((await revalidate(unitPath(tree, u1), e1!)).status).toBe(304);
    expectNewRepresentation(await revalidate(unitPath(tree, u2), f2!), f2!);
    expectNewRepresentation(await revalidate(unitPath(tree, u4), f4!), f4!);
  });
});

describe('pages: an ETag names one page, whichever page stands at its URL later', () => {
  test("after a reorder, /pages/1 with the old page's ETag gets 200 with the other page; PATCH and DELETE with it are 412 and change nothing", async () => {
    const tree = await newCourseTree({ units: 1, pages: 2 });
    const [a, b] = tree.pageIds[0] as [string, string];
    const old = await read(pagePath(tree, 1));
    expect(old.body.id).toBe(a);

    await must(200, 'PUT', `${pagesPath(tree)}/order`, { as: admin, body: { pageIds: [b, a] } });

    const now = await revalidate(pagePath(tree, 1), old.etag);
    expectNewRepresentation(now, old.etag);
    expect(now.body).toMatchObject({ id: b, pageOrder: 1 });
    const snapshot = await readTree(tree.courseId);
    expectProblem(
      await api('PATCH', pagePath(tree, 1), { as: admin, body: { title: 'Lost update' }, headers: { 'if-match': old.etag } }),
      412,
    );
    expectProblem(await api('DELETE', pagePath(tree, 1), { as: admin, headers: { 'if-match': old.etag } }), 412);
    expect(await readTree(tree.courseId)).toEqual(snapshot);
  });

  const add = (t: CourseTree, position?: number) =>
    must(201, 'POST', pagesPath(t), { as: admin, body: { title: 'Added', blocks: [markdown('added')], ...(position && { position }) } });
  const edit = (t: CourseTree, pageOrder: number) =>
    must(200, 'PATCH', pagePath(t, pageOrder), { as: admin, body: { blocks: [markdown('edited')] } });

  // Per-page counters (every page starting at 1, +1 per change, +1 per move) fail each of these: two pages would share a version.
  test.each<{
    name: string;
    pages: number;
    watch: number;
    setup?: (t: CourseTree) => Promise<unknown>;
    change: (t: CourseTree) => Promise<unknown>;
  }>([
    { name: 'a page inserted before it (neither ever edited)', pages: 1, watch: 1, change: (t) => add(t, 1) },
    { name: 'a page inserted before it, after it was edited once', pages: 2, watch: 2, setup: (t) => edit(t, 2), change: (t) => add(t, 1) },
    {
      name: 'a reorder that swaps it with a page edited once less',
      pages: 2,
      watch: 1,
      setup: (t) => edit(t, 1),
      change: (t) => must(200, 'PUT', `${pagesPath(t)}/order`, { as: admin, body: { pageIds: [...t.pageIds[0]!].reverse() } }),
    },
    {
      name: 'the page before it deleted',
      pages: 3,
      watch: 2,
      setup: (t) => edit(t, 2),
      change: (t) => must(204, 'DELETE', pagePath(t, 1), { as: admin }),
    },
    {
      name: 'it deleted, then a page added where it was',
      pages: 2,
      watch: 2,
      change: async (t) => {
        await must(204, 'DELETE', pagePath(t, 2), { as: admin });
        await add(t);
      },
    },
  ])(
    'another page at its URL after $name: the old ETag gets 200, PATCH and DELETE with it are 412',
    async ({ pages, watch, setup, change }) => {
      const tree = await newCourseTree({ units: 1, pages });
      await setup?.(tree);
      const path = pagePath(tree, watch);
      const old = await read(path);
      await change(tree);

      const now = await revalidate(path, old.etag);
      expectNewRepresentation(now, old.etag);
      expect(now.body.id).not.toBe(old.body.id);
      const snapshot = await readTree(tree.courseId);
      expectProblem(await api('PATCH', path, { as: admin, body: { title: 'Lost update' }, headers: { 'if-match': old.etag } }), 412);
      expectProblem(await api('DELETE', path, { as: admin, headers: { 'if-match': old.etag } }), 412);
      expect(await readTree(tree.courseId)).toEqual(snapshot);
    },
  );

  test('a page that moved has changed (new version, still only its own); one that stayed still answers 304', async () => {
    const tree = await newCourseTree({ units: 1, pages: 3 });
    const [a, b, c] = tree.pageIds[0] as [string, string, string];
    const [ea, eb, ec] = await Promise.all([1, 2, 3].map(async (order) => (await read(pagePath(tree, order))).etag));
    const unit = await read(unitPath(tree, tree.unitIds[0]!));

    await must(200, 'PUT', `${pagesPath(tree)}/order`, { as: admin, body: { pageIds: [a, c, b] } });

    expect((await revalidate(pagePath(tree, 1), ea!)).status).toBe(304);
    const movedC = await revalidate(pagePath(tree, 2), ec!);
    expectNewRepresentation(movedC, ec!);
    expect(movedC.body).toMatchObject({ id: c, pageOrder: 2 });
    expect(movedC.body.version).toBeGreaterThan(Number(JSON.parse(ec!)));
    const movedB = await read(pagePath(tree, 3));
    expect(movedB.body).toMatchObject({ id: b, pageOrder: 3 });
    expect(movedB.body.version).toBeGreaterThan(Number(JSON.parse(eb!)));
    expectNewRepresentation(await revalidate(unitPath(tree, tree.unitIds[0]!), unit.etag), unit.etag);
    // The new ETag is the page's: If-Match with it works at its new URL.
    expect(
      await must(200, 'PATCH', pagePath(tree, 2), {
        as: admin,
        body: { title: 'Moved' },
        headers: { 'if-match': movedC.headers.get('etag')! },
      }),
    ).toMatchObject({ id: c, title: 'Moved' });
  });

  test("an edit in place grows a page's version by exactly one; a page arriving at a URL takes a version above every version that URL served", async () => {
    const tree = await newCourseTree({ units: 1, pages: 3 });
    const servedAtFirst: number[] = [(await read(`${unitPath(tree, tree.unitIds[0]!)}/pages/1`)).body.version];
    for (let i = 0; i < 3; i += 1) {
      const before = (await read(`${unitPath(tree, tree.unitIds[0]!)}/pages/1`)).body.version as number;
      await must(200, 'PATCH', pagePath(tree, 1), { as: admin, body: { title: `Edited ${i}` } });
      const after = (await read(`${unitPath(tree, tree.unitIds[0]!)}/pages/1`)).body.version as number;
      expect(after).toBe(before + 1);
      servedAtFirst.push(after);
    }
    await must(200, 'PUT', `${pagesPath(tree)}/order`, { as: admin, body: { pageIds: [...tree.pageIds[0]!].reverse() } });
    const arrived = (await read(`${unitPath(tree, tree.unitIds[0]!)}/pages/1`)).body.version as number;
    expect(arrived).toBeGreaterThan(Math.max(...servedAtFirst));
  });

  test('before the moved pages get their new versions (here: never), a stale ETag still matches nothing', async () => {
    const tree = await newCourseTree({ units: 1, pages: 2 });
    const [a, b] = tree.pageIds[0] as [string, string];
    const first = await read(pagePath(tree, 1));
    const second = await read(pagePath(tree, 2));
    await must(200, 'PUT', `${pagesPath(tree)}/order`, { as: admin, body: { pageIds: [b, a] } });
    // As if the process had stopped between the course's write and the pages': the old versions back.
    const pages = client.db(process.env.TEST_MONGODB_DB).collection('pages');
    await pages.updateOne({ _id: new ObjectId(a) }, { $set: { version: first.body.version } });
    await pages.updateOne({ _id: new ObjectId(b) }, { $set: { version: second.body.version } });

    const now = await revalidate(pagePath(tree, 1), first.etag);
    expectNewRepresentation(now, first.etag);
    expect(now.body.id).toBe(b);
    const snapshot = await readTree(tree.courseId);
    expectProblem(
      await api('PATCH', pagePath(tree, 1), { as: admin, body: { title: 'Lost update' }, headers: { 'if-match': first.etag } }),
      412,
    );
    expectProblem(await api('DELETE', pagePath(tree, 1), { as: admin, headers: { 'if-match': first.etag } }), 412);
    expect(await readTree(tree.courseId)).toEqual(snapshot);
  });

  test('a course stored before page versions came from its counter: new versions start above every version its pages had', async () => {
    const tree = await newCourseTree({ units: 1, pages: 2 });
    const [a, b] = tree.pageIds[0] as [string, string];
    await must(204, 'DELETE', pagePath(tree, 2), { as: admin });
    const db = client.db(process.env.TEST_MONGODB_DB);
    await db.collection('courses').updateOne({ _id: new ObjectId(tree.courseId) }, { $unset: { lastPageVersion: '' } });
    await db.collection('pages').updateOne({ _id: new ObjectId(a) }, { $set: { version: 40 } });
    await db.collection('pages').updateOne({ _id: new ObjectId(b) }, { $set: { version: 60 } });

    const added = await add(tree);
    expect(added.version).toBeGreaterThan(60);
    expect((await edit(tree, 1)).version).toBe(41);
  });
});
