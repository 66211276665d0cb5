/**
 * Video and embed blocks, from the page editor to the student's page: the
 * author uploads a video and captions it, and gives an embed address (an
 * http:// one is refused, with the reason on the field); a student of the
 * published course sees the video with its caption and the embedded player.
 */
import { mp4 } from '@testmancer/testing';
import type { Browser, Page } from 'playwright-core';
import { newId, user, type TestUser } from '../../support/api';
import { checkScreen, DESKTOP, launchBrowser } from '../../support/browser';
import { heading, open, signInAdmin } from '../../support/browser-admin';
import { openCourse, signedInStudent, startCourse } from '../../support/browser-student';
import { must, newCategory } from '../../support/content';

const EMBED = 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ';
const CAPTION = 'Folding the paper crane, step by step';

let browser: Browser;
let admin: TestUser;
let page: Page;
const course = { id: '', unitId: '', title: `Origami ${newId().slice(0, 6)}` };

beforeAll(async () => {
  [browser, admin] = await Promise.all([launchBrowser(), user('admin')]);
  const categoryId = await newCategory();
  course.id = (
    await must(201, 'POST', '/api/courses', { as: admin, body: { title: course.title, categoryId, structure: { unitType: 'unit' } } })
  ).id;
  course.unitId = (await must(201, 'POST', `/api/courses/${course.id}/units`, { as: admin, body: { title: 'Cranes' } })).id;
});
afterAll(async () => {
  await page?.context().close();
  await browser?.close();
});

test('an author adds a video block and an embed block; an http:// embed address is refused with the reason', async () => {
  page = await signInAdmin(browser, admin);
  await open(page, `/courses/${course.id}/units/${course.unitId}`);
  await heading(page, 'Cranes');
  await page.getByRole('link', { name: 'Add page' }).click();
  await heading(page, 'New page');
  await page.getByLabel('Page title').fill('Watch first');
  await page.getByRole('textbox', { name: 'Text of block 1' }).fill('Watch the video, then try.');

  await page.getByRole('button', { name: 'Add video' }).click();
  await page.getByLabel('Video file of block 2').setInputFiles({ name: 'crane.mp4', mimeType: 'video/mp4', buffer: mp4(4096) });
  await page.getByRole('status').filter({ hasText: 'Uploaded crane.mp4.' }).waitFor();
  await page.getByLabel('Caption of block 2').fill(CAPTION);

  await page.getByRole('button', { name: 'Add embed' }).click();
  const address = page.getByRole('textbox', { name: 'Embed address of block 3' });
  await address.fill('http://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
  await page.getByRole('button', { name: 'Save page' }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'Could not save the page' });
  await refused.getByText('Block 3: The embed address must start with https:// (http:// and other addresses are refused).').waitFor();
  // The reason sits on the field too, tied to it for screen readers.
  expect(await address.getAttribute('aria-invalid')).toBe('true');
  await page.getByText('The embed address must start with https:// (http:// and other addresses are refused).', { exact: true }).waitFor();
  await checkScreen(page, 'admin-page-editor-embed-refused');
  expect((await must(200, 'GET', `/api/courses/${course.id}/units/${course.unitId}/pages`, { as: admin })).items).toEqual([]);

  await address.fill(EMBED);
  expect(await address.getAttribute('aria-invalid')).not.toBe('true');
  await page.getByRole('button', { name: 'Save page' }).click();
  await heading(page, 'Edit page: Watch first');
  await page.getByRole('status').filter({ hasText: 'Page saved.' }).waitFor();
  await checkScreen(page, 'admin-page-editor-video-embed');

  const stored = await must(200, 'GET', `/api/courses/${course.id}/units/${course.unitId}/pages/1`, { as: admin });
  expect(stored.blocks).toEqual([
    { type: 'markdown', markdown: 'Watch the video, then try.' },
    { type: 'video', assetId: expect.stringMatching(/^[0-9a-f]{24}$/), caption: CAPTION },
    { type: 'embed', url: EMBED },
  ]);
  expect(stored.media).toEqual([expect.objectContaining({ assetId: stored.blocks[1].assetId, kind: 'video' })]);
});

test('a student sees the video with its caption, and the embedded player with a link to it', async () => {
  await must(200, 'POST', `/api/courses/${course.id}/publish`, { as: admin });
  const student = await signedInStudent(browser, await user('student'), DESKTOP);
  try {
    await openCourse(student, course.title);
    expect(await startCourse(student)).toEqual({ kind: 'page', title: 'Watch first' });
    await student.getByText('Watch the video, then try.').waitFor();

    const video = student.getByLabel(CAPTION, { exact: true });
    await video.waitFor();
    expect(await video.evaluate((element) => element.tagName)).toBe('VIDEO');
    await student.getByText(CAPTION, { exact: true }).and(student.locator('figcaption')).waitFor();
    // The video's address delivers the uploaded file to the student.
    // Runs in the page; this program has no DOM types, so the media element is described by what is read of it.
    const source = await video.evaluate((element) => {
      const media = element as unknown as { currentSrc: string; src: string };
      return media.currentSrc || media.src;
    });
    const delivered = await student.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, bytes: (await response.arrayBuffer()).byteLength };
    }, source);
    expect(delivered).toEqual({ status: 200, bytes: mp4(4096).length });

    expect(await student.getByTitle('Embedded content from www.youtube-nocookie.com').getAttribute('src')).toBe(EMBED);
    expect(await student.getByRole('link', { name: 'Open the embedded content on www.youtube-nocookie.com' }).getAttribute('href')).toBe(
      EMBED,
    );
    await checkScreen(student, 'student-page-video-embed');
  } finally {
    await student.context().close();
  }
});
