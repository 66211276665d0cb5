/**
 * An author renames, archives and reorders units and pages in the admin
 * interface: renames and new orders can be undone from the status line that
 * confirms them; archiving asks first, says it cannot be undone here, and takes
 * the unit or page out of the course. The tests run in order on one course.
 */
import type { Browser, Page } from 'playwright-core';
import { newId, user, type TestUser } from '../../support/api';
import { checkScreen, launchBrowser } from '../../support/browser';
import {
  dragWithKeyboard,
  dragWithMouse,
  heading,
  listedPages,
  listedUnits,
  open,
  openArchiveDialog,
  openUnit,
  renameInList,
  signInAdmin,
  backToCourse,
} from '../../support/browser-admin';
import { markdown, must, newCategory } from '../../support/content';

let browser: Browser;
let admin: TestUser;
let page: Page;
const course = { id: '', title: `Authoring ${newId().slice(0, 6)}` };
const unitIds: Record<string, string> = {};

/** The course's units (titles, in order) as the gateway holds them. */
const storedUnits = async () =>
  (await must(200, 'GET', `/api/courses/${course.id}`, { as: admin })).units.map((unit: { title: string }) => unit.title);
/** The pages of a unit (titles, in order) as the gateway holds them. */
const storedPages = async (unit: string) =>
  (await must(200, 'GET', `/api/courses/${course.id}/units/${unitIds[unit]!}/pages`, { as: admin })).items.map(
    (summary: { title: string }) => summary.title,
  );

beforeAll(async () => {
  [browser, admin] = await Promise.all([launchBrowser(), user('admin')]);
  const categoryId = await newCategory();
  course.id = (
    await must(201, 'POST', '/api/courses', { as: admin, body: { title: course.title, categoryId, structure: { unitType: 'unit' } } })
  ).id;
  for (const [unit, pages] of [
    ['Basics', ['Intro', 'Setup', 'Tools', 'Summary']],
    ['Extras', ['Bonus']],
  ] as const) {
    unitIds[unit] = (await must(201, 'POST', `/api/courses/${course.id}/units`, { as: admin, body: { title: unit } })).id;
    for (const title of pages)
      await must(201, 'POST', `/api/courses/${course.id}/units/${unitIds[unit]!}/pages`, {
        as: admin,
        body: { title, blocks: [markdown(`About ${title}.`)] },
      });
  }
  page = await signInAdmin(browser, admin);
});
afterAll(async () => {
  await page?.context().close();
  await browser?.close();
});

test('a unit is renamed in its row, and the rename undone from the status line', async () => {
  await open(page, `/courses/${course.id}`);
  await heading(page, course.title);
  await renameInList(page, 'Basics', 'Foundations');
  expect(await listedUnits(page)).toEqual(['Foundations', 'Extras']);
  expect(await storedUnits()).toEqual(['Foundations', 'Extras']);
  await checkScreen(page, 'admin-unit-renamed');

  await page.getByRole('button', { name: 'Undo renaming Foundations' }).click();
  await page.getByRole('status').filter({ hasText: '“Foundations” is called “Basics” again.' }).waitFor();
  await page.getByRole('list', { name: 'Units in order' }).getByRole('link', { name: 'Basics', exact: true }).waitFor();
  expect(await listedUnits(page)).toEqual(['Basics', 'Extras']);
  expect(await storedUnits()).toEqual(['Basics', 'Extras']);
});

test('archiving a unit asks first and says what happens; kept, nothing changes; confirmed, the unit leaves the course', async () => {
  const dialog = await openArchiveDialog(page, page.getByRole('button', { name: 'Archive Extras', exact: true }));
  expect(await dialog.getByRole('heading').textContent()).toBe('Archive the unit “Extras”?');
  await dialog
    .getByText('It leaves the course with its 1 page: students no longer see them, and the units after it move up one place.')
    .waitFor();
  await dialog.getByText('It stays stored, but it cannot be brought back from this interface.').waitFor();
  await checkScreen(page, 'admin-archive-unit-dialog');

  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await dialog.waitFor({ state: 'detached' });
  expect(await listedUnits(page)).toEqual(['Basics', 'Extras']);
  expect(await storedUnits()).toEqual(['Basics', 'Extras']);

  const again = await openArchiveDialog(page, page.getByRole('button', { name: 'Archive Extras', exact: true }));
  await again.getByRole('button', { name: 'Archive unit' }).click();
  await again.waitFor({ state: 'detached' });
  await page
    .getByRole('list', { name: 'Units in order' })
    .getByRole('link', { name: 'Extras', exact: true })
    .waitFor({ state: 'detached' });
  expect(await listedUnits(page)).toEqual(['Basics']);
  expect(await storedUnits()).toEqual(['Basics']);
  await must(404, 'GET', `/api/courses/${course.id}/units/${unitIds.Extras!}`, { as: admin });
});

test('a page is renamed in its row, and the rename undone', async () => {
  await openUnit(page, 'Basics');
  await renameInList(page, 'Setup', 'Installation');
  expect(await listedPages(page)).toEqual(['Intro', 'Installation', 'Tools', 'Summary']);
  expect(await storedPages('Basics')).toEqual(['Intro', 'Installation', 'Tools', 'Summary']);
  await checkScreen(page, 'admin-page-renamed');

  await page.getByRole('button', { name: 'Undo renaming Installation' }).click();
  await page.getByRole('status').filter({ hasText: '“Installation” is called “Setup” again.' }).waitFor();
  await page.getByRole('list', { name: 'Pages in order' }).getByRole('link', { name: 'Setup', exact: true }).waitFor();
  expect(await storedPages('Basics')).toEqual(['Intro', 'Setup', 'Tools', 'Summary']);
});

test('pages are reordered by dragging with the mouse, and the new order undone', async () => {
  await dragWithMouse(page, 'Summary', 'Intro');
  expect(await listedPages(page)).toEqual(['Summary', 'Intro', 'Setup', 'Tools']);
  expect(await storedPages('Basics')).toEqual(['Summary', 'Intro', 'Setup', 'Tools']);
  await checkScreen(page, 'admin-pages-reordered');

  await page.getByRole('button', { name: 'Undo the new order' }).click();
  await page.getByRole('status').filter({ hasText: 'The previous order is back.' }).waitFor();
  await page.getByRole('button', { name: 'Drag Summary (position 4) to reorder' }).waitFor();
  expect(await listedPages(page)).toEqual(['Intro', 'Setup', 'Tools', 'Summary']);
  expect(await storedPages('Basics')).toEqual(['Intro', 'Setup', 'Tools', 'Summary']);
});

test('pages are reordered with the keyboard', async () => {
  await dragWithKeyboard(page, 'Intro', 2);
  expect(await listedPages(page)).toEqual(['Setup', 'Tools', 'Intro', 'Summary']);
  expect(await storedPages('Basics')).toEqual(['Setup', 'Tools', 'Intro', 'Summary']);
  // The editor links follow the new order: the first page is now Setup.
  await page.getByRole('link', { name: 'Setup', exact: true }).click();
  await heading(page, 'Edit page: Setup');
  await page.goBack();
  await heading(page, 'Basics');
});

test('a page is archived from its row and from its editor, each after a confirmation', async () => {
  const dialog = await openArchiveDialog(page, page.getByRole('button', { name: 'Archive Tools', exact: true }));
  expect(await dialog.getByRole('heading').textContent()).toBe('Archive the page “Tools”?');
  await dialog.getByText('Students no longer see it, and the pages after it move up one place.').waitFor();
  await dialog.getByText('It stays stored, but it cannot be brought back from this interface.').waitFor();
  await checkScreen(page, 'admin-archive-page-dialog');
  await dialog.getByRole('button', { name: 'Archive page' }).click();
  await page.getByRole('list', { name: 'Pages in order' }).getByRole('link', { name: 'Tools', exact: true }).waitFor({ state: 'detached' });
  expect(await listedPages(page)).toEqual(['Setup', 'Intro', 'Summary']);
  expect(await storedPages('Basics')).toEqual(['Setup', 'Intro', 'Summary']);

  await page.getByRole('link', { name: 'Intro', exact: true }).click();
  await heading(page, 'Edit page: Intro');
  const fromEditor = await openArchiveDialog(page, page.getByRole('button', { name: 'Archive page' }));
  expect(await fromEditor.getByRole('heading').textContent()).toBe('Archive the page “Intro”?');
  await checkScreen(page, 'admin-page-editor-archive-dialog');
  await fromEditor.getByRole('button', { name: 'Archive page' }).click();
  await heading(page, 'Basics');
  expect(await listedPages(page)).toEqual(['Setup', 'Summary']);
  expect(await storedPages('Basics')).toEqual(['Setup', 'Summary']);

  await backToCourse(page, course.title);
  await page.getByText('Unit 1 · 2 pages').waitFor();
});
