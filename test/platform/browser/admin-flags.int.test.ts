/**
 * The admin interface follows the flags the gateway gives its user: with
 * PAGE_QUIZZES_ENABLED off there is no way to make a page quiz and the page
 * quizzes are not listed; with USE_MODULES_TERMINOLOGY on the screens say
 * "module(s)", never "unit(s)". Each runs against a gateway of its own with
 * those flags, in front of the platform's services (so both see one course).
 */
import type { Browser, Page } from 'playwright-core';
import { newId, user, type TestUser } from '../../support/api';
import { checkScreen, DESKTOP, launchBrowser, signedIn } from '../../support/browser';
import { addQuiz, addUnit, heading, listedUnits, open, openArchiveDialog, openUnit } from '../../support/browser-admin';
import { markdown, must, newNamedCategory } from '../../support/content';
import { newQuiz } from '../../support/quiz';
import { interfaceWith, type FlaggedInterface } from '../../support/web-interface';

let browser: Browser;
let admin: TestUser;
let noPageQuizzes: FlaggedInterface;
let modules: FlaggedInterface;
/**
 * A course of one unit ("Folding", two pages) with a page quiz after its first page and a unit quiz, made with every flag on.
 * The tests run in order: the second sees the page quiz as the first renamed it.
 */
const course = {
  id: '',
  title: `Paper ${newId().slice(0, 6)}`,
  category: '',
  unitId: '',
  pageQuiz: { id: '', title: '' },
  unitQuizTitle: '',
};

beforeAll(async () => {
  [browser, admin, noPageQuizzes, modules] = await Promise.all([
    launchBrowser(),
    user('admin'),
    interfaceWith('admin', 'no-page-quizzes', { PAGE_QUIZZES_ENABLED: 'false' }),
    interfaceWith('admin', 'modules', { USE_MODULES_TERMINOLOGY: 'true' }),
  ]);
  const { id: categoryId, name } = await newNamedCategory();
  course.category = name;
  course.id = (
    await must(201, 'POST', '/api/courses', { as: admin, body: { title: course.title, categoryId, structure: { unitType: 'module' } } })
  ).id;
  course.unitId = (await must(201, 'POST', `/api/courses/${course.id}/units`, { as: admin, body: { title: 'Folding' } })).id;
  for (const title of ['Valley folds', 'Mountain folds'])
    await must(201, 'POST', `/api/courses/${course.id}/units/${course.unitId}/pages`, {
      as: admin,
      body: { title, blocks: [markdown(`About ${title}.`)] },
    });
  const pageQuiz = await newQuiz({ courseId: course.id, moduleId: course.unitId, trigger: 'page', pageOrder: 1 }, admin);
  course.pageQuiz = { id: pageQuiz.id, title: pageQuiz.title };
  course.unitQuizTitle = (await newQuiz({ courseId: course.id, moduleId: course.unitId }, admin)).title;
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([noPageQuizzes?.stop(), modules?.stop()]);
});

let page: Page;
afterEach(async () => {
  await page?.context().close();
});

/** The words of the screen's main region, as shown. */
const mainText = (on: Page) => on.getByRole('main').innerText();

test('PAGE_QUIZZES_ENABLED off: page quizzes are not listed, nothing offers to make one, and one opened by its address keeps its page', async () => {
  const base = noPageQuizzes.url;
  page = await signedIn(browser, 'admin', admin, DESKTOP, base);
  await open(page, `/courses/${course.id}/units/${course.unitId}`, base);
  await heading(page, 'Folding');
  await page.getByText('Page quizzes are off for you: only the quizzes after the whole unit are listed.').waitFor();
  const quizzes = page.getByRole('list', { name: 'Quizzes' });
  await quizzes.getByText(course.unitQuizTitle, { exact: true }).waitFor();
  expect(await quizzes.getByRole('listitem').count()).toBe(1);
  expect(await page.getByText(course.pageQuiz.title).count()).toBe(0);
  await checkScreen(page, 'admin-unit-no-page-quizzes');

  await page.getByRole('link', { name: 'Valley folds', exact: true }).click();
  await heading(page, 'Edit page: Valley folds');
  await page.getByRole('button', { name: 'Save page' }).waitFor();
  expect(await page.getByRole('link', { name: 'Add a quiz after this page' }).count()).toBe(0);
  await page.getByRole('link', { name: 'Back to the unit' }).click();
  await heading(page, 'Folding');

  await page.getByRole('link', { name: 'Add quiz' }).click();
  await heading(page, 'New quiz');
  await page.getByText('Page quizzes are turned off for you, so this quiz will follow the whole unit.').waitFor();
  expect(await page.getByRole('radiogroup', { name: 'Show the quiz' }).count()).toBe(0);
  expect(await page.getByRole('radio', { name: 'After a page' }).count()).toBe(0);
  expect(await page.getByRole('combobox', { name: 'Page the quiz follows' }).count()).toBe(0);
  await checkScreen(page, 'admin-quiz-builder-no-page-quizzes');

  // Not by the address the page editor links to when page quizzes are on either.
  await open(page, `/courses/${course.id}/units/${course.unitId}/quizzes/new?page=1`, base);
  await heading(page, 'New quiz');
  await page.getByText('Page quizzes are turned off for you, so this quiz will follow the whole unit.').waitFor();
  expect(await page.getByRole('combobox', { name: 'Page the quiz follows' }).count()).toBe(0);
  await page.getByRole('link', { name: 'Cancel' }).click();
  await heading(page, 'Folding');

  const title = `Folds check ${newId().slice(0, 6)}`;
  await addQuiz(page, {
    trigger: 'unit',
    title,
    gemReward: 3,
    questions: [{ type: 'trueFalse', prompt: 'A valley fold points down.', answer: true }],
  });
  const unitQuizzes = await must(200, 'GET', `/api/quizzes/unit/${course.unitId}`, { as: admin });
  expect(unitQuizzes.items).toEqual(expect.arrayContaining([expect.objectContaining({ title, trigger: 'unit' })]));

  // A page quiz opened by its address (authors can read it) keeps its page: only its title, questions and gems change.
  await open(page, `/courses/${course.id}/units/${course.unitId}/quizzes/${course.pageQuiz.id}/edit`, base);
  await heading(page, `Edit quiz: ${course.pageQuiz.title}`);
  await page
    .getByText(
      'Page quizzes are turned off for you: this quiz stays after page 1, and only its title, questions and gems can be changed here.',
    )
    .waitFor();
  expect(await page.getByRole('radio', { name: 'After a page' }).count()).toBe(0);
  expect(await page.getByRole('combobox', { name: 'Page the quiz follows' }).count()).toBe(0);
  await checkScreen(page, 'admin-page-quiz-edit-no-page-quizzes');
  await page.getByLabel('Quiz title').fill('Valley folds, checked');
  await page.getByRole('button', { name: 'Save quiz' }).click();
  await heading(page, 'Folding');
  expect(await must(200, 'GET', `/api/quizzes/${course.pageQuiz.id}`, { as: admin })).toEqual(
    expect.objectContaining({ title: 'Valley folds, checked', trigger: 'page', pageOrder: 1 }),
  );
  course.pageQuiz.title = 'Valley folds, checked';
});

test('USE_MODULES_TERMINOLOGY on: the courses, course, unit, page editor and quiz builder screens say module(s), never unit(s)', async () => {
  const base = modules.url;
  page = await signedIn(browser, 'admin', admin, DESKTOP, base);
  await heading(page, 'Courses');
  await page.getByRole('combobox', { name: 'Category', exact: true }).selectOption({ label: course.category });
  const listed = page.getByRole('list', { name: 'Courses' }).getByRole('listitem').filter({ hasText: course.title });
  await listed.getByText(/· 1 module ·/).waitFor();
  expect(await mainText(page)).not.toMatch(/\bunits?\b/i);

  await open(page, `/courses/${course.id}`, base);
  await heading(page, course.title);
  await page.getByRole('heading', { level: 2, name: 'Modules' }).waitFor();
  await page.getByText('Module 1 · 2 pages').waitFor();
  await addUnit(page, 'Pleats');
  expect(await listedUnits(page)).toEqual(['Folding', 'Pleats']);
  await page.getByRole('list', { name: 'Modules in order' }).waitFor();
  await page.getByRole('button', { name: 'Rename Pleats' }).click();
  await page.getByRole('textbox', { name: 'New title of module 2' }).waitFor();
  expect(await mainText(page)).not.toMatch(/\bunits?\b/i);
  await checkScreen(page, 'admin-course-modules');
  await page.getByRole('button', { name: 'Cancel' }).click();

  const dialog = await openArchiveDialog(page, page.getByRole('button', { name: 'Archive Pleats', exact: true }));
  expect(await dialog.getByRole('heading').textContent()).toBe('Archive the module “Pleats”?');
  await dialog
    .getByText('It leaves the course with its 0 pages: students no longer see them, and the modules after it move up one place.')
    .waitFor();
  expect(await dialog.innerText()).not.toMatch(/\bunits?\b/i);
  await checkScreen(page, 'admin-archive-module-dialog');
  await dialog.getByRole('button', { name: 'Archive module' }).click();
  await page
    .getByRole('list', { name: 'Modules in order' })
    .getByRole('link', { name: 'Pleats', exact: true })
    .waitFor({ state: 'detached' });

  await openUnit(page, 'Folding');
  await page.getByText(`Module of the course ${course.title}`).waitFor();
  const quizzes = page.getByRole('list', { name: 'Quizzes' });
  await quizzes
    .getByRole('listitem')
    .filter({ hasText: course.unitQuizTitle })
    .getByText(/^After the module ·/)
    .waitFor();
  await quizzes.getByText(course.pageQuiz.title, { exact: true }).waitFor();
  expect(await mainText(page)).not.toMatch(/\bunits?\b/i);
  await checkScreen(page, 'admin-unit-modules');

  await page.getByRole('link', { name: 'Valley folds', exact: true }).click();
  await heading(page, 'Edit page: Valley folds');
  await page.getByRole('link', { name: 'Back to the module' }).waitFor();
  expect(await mainText(page)).not.toMatch(/\bunits?\b/i);
  await page.getByRole('link', { name: 'Back to the module' }).click();
  await heading(page, 'Folding');

  await page.getByRole('link', { name: 'Add quiz' }).click();
  await heading(page, 'New quiz');
  await page.getByRole('radio', { name: 'After the whole module' }).waitFor();
  expect(await mainText(page)).not.toMatch(/\bunits?\b/i);
  await checkScreen(page, 'admin-quiz-builder-modules');
});
