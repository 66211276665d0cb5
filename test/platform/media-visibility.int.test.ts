/**
 * Media follows its course: who may read an asset's metadata and bytes, for
 * every kind of caller and every state of the course, and what caches may
 * keep. Published: everybody, `public, max-age=300`. Draft or archived: the
 * course's authors (with their token, or the short-lived signed URL the
 * metadata gives them), `private, no-store`; anybody else 404, as for an
 * asset that does not exist. Deleted: nobody.
 */
import { api, gatewayUrl, user, type TestUser } from '../support/api';
import { must, newCategory, newCourse } from '../support/content';
import { png, upload } from '../support/media';

type Reader = 'admin' | 'subadmin in scope' | 'subadmin out of scope' | 'student' | 'anonymous';
type State = 'draft' | 'published' | 'archived' | 'deleted';
const READERS: Reader[] = ['admin', 'subadmin in scope', 'subadmin out of scope', 'student', 'anonymous'];
const STATES: State[] = ['draft', 'published', 'archived', 'deleted'];

let admin: TestUser;
const readers = new Map<Reader, TestUser | undefined>();
const assets = new Map<State, { id: string; courseId: string }>();

async function assetIn(courseId: string): Promise<string> {
  const res = await upload(admin, courseId, png(16, 16, { noise: true }));
  expect(res.status).toBe(201);
  return res.body.id as string;
}

beforeAll(async () => {
  admin = await user('admin');
  const categoryId = await newCategory();
  readers.set('admin', admin);
  readers.set('subadmin in scope', await user('subadmin', [categoryId]));
  readers.set('subadmin out of scope', await user('subadmin', [await newCategory()]));
  readers.set('student', await user('student'));
  readers.set('anonymous', undefined);
  for (const state of STATES) {
    const course = await newCourse(admin, categoryId);
    const id = await assetIn(course.id);
    if (state === 'published' || state === 'deleted') await must(200, 'POST', `/api/courses/${course.id}/publish`, { as: admin });
    if (state === 'archived') await must(200, 'DELETE', `/api/courses/${course.id}`, { as: admin });
    if (state === 'deleted') expect((await api('DELETE', `/api/media/${id}`, { as: admin })).status).toBe(204);
    assets.set(state, { id, courseId: course.id });
  }
});

const bytesOf = (path: string, as?: TestUser) =>
  fetch(`${gatewayUrl()}${path}`, { headers: as ? { authorization: `Bearer ${as.token}` } : {} });

/** What a reader gets: the metadata's status, the bytes' status and their Cache-Control. */
async function seenBy(reader: Reader, state: State): Promise<string> {
  const as = readers.get(reader);
  const { id } = assets.get(state)!;
  const metadata = await api('GET', `/api/media/${id}`, as ? { as } : {});
  const bytes = await bytesOf(`/api/media/${id}/content`, as);
  await bytes.arrayBuffer();
  const cache = bytes.status === 200 ? ` (${bytes.headers.get('cache-control')})` : '';
  return `metadata ${metadata.status}, bytes ${bytes.status}${cache}`;
}

test('who reads what, and what caches may keep, for every reader and state of the course', async () => {
  const seen: Record<string, string> = {};
  const expected: Record<string, string> = {};
  const authors: Reader[] = ['admin', 'subadmin in scope'];
  for (const state of STATES) {
    for (const reader of READERS) {
      seen[`${state}, ${reader}`] = await seenBy(reader, state);
      expected[`${state}, ${reader}`] =
        state === 'deleted'
          ? 'metadata 404, bytes 404'
          : state === 'published'
            ? 'metadata 200, bytes 200 (public, max-age=300)'
            : authors.includes(reader)
              ? 'metadata 200, bytes 200 (private, no-store)'
              : 'metadata 404, bytes 404';
    }
  }
  expect(seen).toEqual(expected);
});

test("a draft's metadata gives its authors a signed URL that opens the bytes without a token, privately, for a while; tampered or expired it opens nothing", async () => {
  const { id } = assets.get('draft')!;
  const metadata = await must(200, 'GET', `/api/media/${id}`, { as: admin });
  const signed = new URL(metadata.url as string, gatewayUrl());
  expect(signed.pathname).toBe(`/api/media/${id}/content`);
  const expires = Number(signed.searchParams.get('expires'));
  expect(expires).toBeGreaterThan(Date.now());
  expect(expires).toBeLessThanOrEqual(Date.now() + 11 * 60_000);

  const opened = await bytesOf(`${signed.pathname}${signed.search}`);
  expect(opened.status).toBe(200);
  expect(opened.headers.get('cache-control')).toBe('private, no-store');
  expect(
    Buffer.from(await opened.arrayBuffer())
      .subarray(1, 4)
      .toString(),
  ).toBe('PNG');

  const signature = signed.searchParams.get('signature')!;
  const tampered = `${signed.pathname}?expires=${expires}&signature=${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
  expect((await bytesOf(tampered)).status).toBe(404);
  const stretched = `${signed.pathname}?expires=${expires + 60_000}&signature=${signature}`;
  expect((await bytesOf(stretched)).status).toBe(404);
  const expired = `${signed.pathname}?expires=${Date.now() - 1_000}&signature=${signature}`;
  expect((await bytesOf(expired)).status).toBe(404);
  // Another asset's signature opens nothing else.
  expect((await bytesOf(`/api/media/${assets.get('archived')!.id}/content${signed.search}`)).status).toBe(404);
  // A student holding the signed URL reads the bytes; the metadata stays the authors'.
  expect((await api('GET', `/api/media/${id}`, { as: readers.get('student') })).status).toBe(404);
});

test('a course taken back to draft stops serving its assets to the public at once; the published metadata carries no signature', async () => {
  const course = await newCourse(admin, await newCategory());
  const id = await assetIn(course.id);
  const published = await must(200, 'POST', `/api/courses/${course.id}/publish`, { as: admin });
  expect((await must(200, 'GET', `/api/media/${id}`)).url).toBe(`/api/media/${id}/content`);
  expect((await bytesOf(`/api/media/${id}/content`)).status).toBe(200);
  await must(200, 'POST', `/api/courses/${course.id}/unpublish`, { as: admin, headers: { 'if-match': `"${published.version}"` } });
  expect((await bytesOf(`/api/media/${id}/content`)).status).toBe(404);
  expect((await api('GET', `/api/media/${id}`)).status).toBe(404);
});

test('asset ids are unguessable: not an ObjectId whose time and counter tell the next one', async () => {
  const courseId = assets.get('draft')!.courseId;
  const ids = [await assetIn(courseId), await assetIn(courseId), await assetIn(courseId), await assetIn(courseId)];
  // Made within a second, ObjectIds would share their first 8 digits (the time) and count up in their last 6.
  expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBeGreaterThan(1);
  const counters = ids.map((id) => parseInt(id.slice(18), 16));
  expect(counters.slice(1).every((counter, i) => counter === counters[i]! + 1)).toBe(false);
});
