import { api, expectProblem, gatewayUrl, newId, user, type TestUser } from '../support/api';
import { markdown, must, newCategory, newCourse, newUnit } from '../support/content';
import { formWith, mp4, newImage, png, upload } from '../support/media';

let admin: TestUser;
let categoryId: string;
let courseId: string;

beforeAll(async () => {
  admin = await user('admin');
  categoryId = await newCategory();
  courseId = (await newCourse(admin, categoryId)).id;
});

/** The course is a draft: its assets' bytes are read with an author's token (media-visibility.int.test.ts has the rest). */
const content = (id: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(`${gatewayUrl()}/api/media/${id}/content`, { method, headers: { authorization: `Bearer ${admin.token}`, ...headers } });

describe('upload and delivery with the local provider', () => {
  const picture = png(300, 200, { padding: 5_000 });

  test('an image goes in and comes back byte-identical, with its facts', async () => {
    const res = await upload(admin, courseId, picture, { filename: 'diagram.png', type: 'image/png' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      courseId,
      kind: 'image',
      format: 'png',
      mediaType: 'image/png',
      bytes: picture.length,
      width: 300,
      height: 200,
      filename: 'diagram.png',
      // A draft's asset: its address, signed for the elements that send no token.
      url: expect.stringMatching(new RegExp(`^/api/media/${res.body.id}/content\\?expires=\\d+&signature=[\\w-]+$`)),
    });
    expect(res.headers.get('location')).toBe(`/api/media/${res.body.id}`);
    expect(await must(200, 'GET', `/api/media/${res.body.id}`, { as: admin })).toEqual(res.body);

    const file = await content(res.body.id);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(picture)).toBe(true);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-length')).toBe(String(picture.length));
    expect(file.headers.get('cache-control')).toBe('private, no-store');
    expect(file.headers.get('accept-ranges')).toBe('bytes');
    expect(file.headers.get('etag')).toBe(`"${res.body.checksum}"`);
  });

  test('ranges: a slice (206), a suffix, one past the end (416), If-Range on another version, If-None-Match (304), HEAD', async () => {
    const { id } = (await upload(admin, courseId, png(20, 20, { padding: 4_000 }))).body as { id: string };
    const whole = Buffer.from(await (await content(id)).arrayBuffer());
    const etag = (await content(id, {}, 'HEAD')).headers.get('etag')!;

    const slice = await content(id, { range: 'bytes=10-99' });
    expect(slice.status).toBe(206);
    expect(slice.headers.get('content-range')).toBe(`bytes 10-99/${whole.length}`);
    expect(Buffer.from(await slice.arrayBuffer()).equals(whole.subarray(10, 100))).toBe(true);

    const suffix = await content(id, { range: 'bytes=-5' });
    expect(suffix.status).toBe(206);
    expect(Buffer.from(await suffix.arrayBuffer()).equals(whole.subarray(whole.length - 5))).toBe(true);

    const outside = await content(id, { range: `bytes=${whole.length}-` });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${whole.length}`);

    const otherVersion = await content(id, { range: 'bytes=0-3', 'if-range': '"something-else"' });
    expect(otherVersion.status).toBe(200);
    expect((await otherVersion.arrayBuffer()).byteLength).toBe(whole.length);

    const cached = await content(id, { 'if-none-match': etag });
    expect(cached.status).toBe(304);

    const head = await content(id, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(whole.length));
  });

  test('the course comes before the file (who may upload is decided before a byte is stored); a video is recognised as one', async () => {
    const clip = mp4(100_000);
    const late = await upload(admin, courseId, clip, { filename: 'clip.mp4', courseIdLast: true });
    expectProblem(late, 400);
    expect(late.body.detail).toMatch(/course comes before the file/);
    const res = await api('POST', `/api/media?courseId=${courseId}`, { as: admin, formData: formWith(clip, 'clip.mp4') });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'video', format: 'mp4', mediaType: 'video/mp4', bytes: clip.length });
    expect(Buffer.from(await (await content(res.body.id)).arrayBuffer()).equals(clip)).toBe(true);
  });

  test('an unknown asset is a 404, and an id that is not one a 400', async () => {
    expectProblem(await api('GET', `/api/media/${newId()}`, { as: admin }), 404);
    expect((await content(newId())).status).toBe(404);
    expectProblem(await api('GET', '/api/media/not-an-id', { as: admin }), 400);
  });

  test('signature: with local storage, the upload route and its courseId', async () => {
    const signature = await must(200, 'POST', '/api/media/signature', { as: admin, body: { courseId, kind: 'image' } });
    expect(signature).toMatchObject({ provider: 'local', uploadUrl: '/api/media', fields: { courseId } });
    expect(Date.parse(signature.expiresAt)).toBeGreaterThan(Date.now());
  });
});

describe('bad files never get in', () => {
  test('a script renamed .png: 415, whatever it claims to be', async () => {
    const script = Buffer.from('#!/bin/sh\nrm -rf /\n');
    const res = await upload(admin, courseId, script, { filename: 'innocent.png', type: 'image/png' });
    expectProblem(res, 415);
    expect(res.body.detail).toMatch(/not allowed/);
  });

  test('an SVG (it can carry scripts) and an HTML page: 415', async () => {
    expectProblem(
      await upload(admin, courseId, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')),
      415,
    );
    expectProblem(await upload(admin, courseId, Buffer.from('<!doctype html><script>alert(1)</script>'), { filename: 'a.png' }), 415);
  });

  test('a zero-byte file: 400', async () => {
    const res = await upload(admin, courseId, Buffer.alloc(0), { filename: 'empty.png' });
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/empty/);
  });

  test('an image over the image limit: 413, and the limit named', async () => {
    const res = await upload(admin, courseId, png(10, 10, { padding: 20 * 1024 * 1024 + 1 }), { filename: 'huge.png', type: 'image/png' });
    expectProblem(res, 413);
    expect(res.body.detail).toMatch(/image files are limited to 20 MiB/);
  });

  test.each(['../../etc/passwd.png', '..\\..\\boot.png', 'dir/inner.png', '/etc/cron.d/x.png'])(
    'a file named %j: 400',
    async (filename) => {
      const res = await upload(admin, courseId, png(4, 4), { filename, type: 'image/png' });
      expectProblem(res, 400);
      expect(res.body.detail).toMatch(/plain name/);
    },
  );

  test('a file name with a NUL byte: 400', async () => {
    expectProblem(await upload(admin, courseId, png(4, 4), { filename: 'nul\u0000byte.png' }), 400);
  });

  test('a PNG sent as video/mp4: 415; a JSON body to the upload route: 415', async () => {
    expectProblem(await upload(admin, courseId, png(4, 4), { type: 'video/mp4' }), 415);
    expectProblem(await api('POST', '/api/media', { as: admin, body: { courseId, file: 'aGVsbG8=' } }), 415);
  });

  test('a form without its file or its courseId, with another field, or a bad courseId: 400', async () => {
    expectProblem(await upload(admin, courseId, png(4, 4), { noCourseId: true }), 400);
    expectProblem(await upload(admin, 'not-an-id', png(4, 4)), 400);
    const onlyCourse = new FormData();
    onlyCourse.append('courseId', courseId);
    expectProblem(await api('POST', '/api/media', { as: admin, formData: onlyCourse }), 400);
    const extra = new FormData();
    extra.append('courseId', courseId);
    extra.append('owner', 'me');
    extra.append('file', new Blob([png(4, 4)]), 'a.png');
    expectProblem(await api('POST', '/api/media', { as: admin, formData: extra }), 400);
  });

  test('a multipart body to a JSON route: 415', async () => {
    const form = new FormData();
    form.append('name', 'x');
    expectProblem(await api('POST', '/api/categories', { as: admin, formData: form }), 415);
  });
});

describe('who may upload and delete', () => {
  test('students 403, strangers 401, subadmins outside their categories 403 (404 for a draft they cannot see), inside 201; an unknown course 404', async () => {
    expectProblem(await upload(await user('student'), courseId, png(4, 4)), 403);
    expectProblem(await upload(undefined, courseId, png(4, 4)), 401);
    const outsider = await user('subadmin', [await newCategory()]);
    expectProblem(await upload(outsider, courseId, png(4, 4)), 404);
    const published = await newCourse(admin, categoryId);
    await must(200, 'POST', `/api/courses/${published.id}/publish`, { as: admin });
    expectProblem(await upload(outsider, published.id, png(4, 4)), 403);
    expect((await upload(await user('subadmin', [categoryId]), courseId, png(4, 4))).status).toBe(201);
    expectProblem(await upload(admin, newId(), png(4, 4)), 404);
  });

  test('a subadmin outside the category may not delete; 412 on a stale If-Match', async () => {
    const published = await newCourse(admin, categoryId);
    const { id } = await newImage(admin, published.id);
    await must(200, 'POST', `/api/courses/${published.id}/publish`, { as: admin });
    expectProblem(await api('DELETE', `/api/media/${id}`, { as: await user('subadmin', [await newCategory()]) }), 403);
    expectProblem(await api('DELETE', `/api/media/${id}`, { as: admin, headers: { 'if-match': '"7"' } }), 412);
    expect((await api('DELETE', `/api/media/${id}`, { as: admin, headers: { 'if-match': '"1"' } })).status).toBe(204);
  });
});

describe('pages use assets', () => {
  test('the page carries the delivery URL; a used asset cannot be deleted (409) until no page uses it', async () => {
    const unit = await newUnit(admin, courseId);
    const image = await newImage(admin, courseId, 120, 80);
    const pagePath = `/api/courses/${courseId}/units/${unit.id}/pages`;
    await must(201, 'POST', pagePath, {
      as: admin,
      body: { title: 'With a picture', blocks: [markdown('Look:'), { type: 'image', assetId: image.id, alt: 'A picture' }] },
    });
    const page = await must(200, 'GET', `${pagePath}/1`, { as: admin });
    // The page keeps the asset's lasting address, never a signature that expires.
    expect(page.media).toEqual([
      expect.objectContaining({ assetId: image.id, url: `/api/media/${image.id}/content`, kind: 'image', width: 120, height: 80 }),
    ]);

    const refused = await api('DELETE', `/api/media/${image.id}`, { as: admin });
    expectProblem(refused, 409);
    expect(refused.body.detail).toMatch(/With a picture/);
    expect((await content(image.id)).status).toBe(200);

    await must(200, 'PATCH', `${pagePath}/1`, { as: admin, body: { blocks: [markdown('No picture any more')] } });
    expect((await api('DELETE', `/api/media/${image.id}`, { as: admin })).status).toBe(204);
    expectProblem(await api('GET', `/api/media/${image.id}`, { as: admin }), 404);
    expect((await content(image.id)).status).toBe(404);
  });

  test("a block with an unknown asset, another course's asset or the wrong kind is refused with its path", async () => {
    const unit = await newUnit(admin, courseId);
    const otherCourse = await newCourse(admin, categoryId);
    const foreign = await newImage(admin, otherCourse.id);
    const own = await newImage(admin, courseId);
    const res = await api('POST', `/api/courses/${courseId}/units/${unit.id}/pages`, {
      as: admin,
      body: {
        title: 'Broken',
        blocks: [
          { type: 'image', assetId: newId(), alt: 'missing' },
          { type: 'image', assetId: foreign.id, alt: 'foreign' },
          { type: 'video', assetId: own.id },
        ],
      },
    });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: expect.stringMatching(/blocks\/0\/assetId/) }),
        expect.objectContaining({ path: expect.stringMatching(/blocks\/1\/assetId/) }),
        expect.objectContaining({ path: expect.stringMatching(/blocks\/2\/assetId/) }),
      ]),
    );
  });
});
