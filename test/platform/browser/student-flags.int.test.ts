import type { Browser, Page } from 'playwright-core';
import { user, type TestUser } from '../../support/api';
import { checkScreen, launchBrowser, PHONE } from '../../support/browser';
import { openCatalogue, openCourse, pressNext, signedInStudent, startCourse } from '../../support/browser-student';
import { must } from '../../support/content';
import { labelledCourse, type LabelledCourse } from '../../support/navigation';
import { interfaceWith, type FlaggedInterface } from '../../support/web-interface';

let browser: Browser;
let student: TestUser;
let course: LabelledCourse;
let title: string;
let legacy: FlaggedInterface;
let noPageQuizzes: FlaggedInterface;
beforeAll(async () => {
  [browser, student, course, legacy, noPageQuizzes] = await Promise.all([
    launchBrowser(),
    user('student'),
    // Pages P<unit>.<page>, page quiz Q1.1a after P1.1, unit quiz Q2a after unit 2.
    labelledCourse([
      { pages: 2, pageQuizzes: [1] },
      { pages: 1, unitQuizzes: 1 },
    ]),
    interfaceWith('student', 'legacy', { STRUCTURED_COURSES_ENABLED: 'false', USE_MODULES_TERMINOLOGY: 'true' }),
    interfaceWith('student', 'no-page-quizzes', { PAGE_QUIZZES_ENABLED: 'false', USE_MODULES_TERMINOLOGY: 'true' }),
  ]);
  ({ title } = await must<{ title: string }>(200, 'GET', `/api/courses/${course.courseId}`, { as: course.admin }));
});
afterAll(async () => {
  await browser.close();
  await Promise.all([legacy.stop(), noPageQuizzes.stop()]);
});

let page: Page;
afterEach(async () => {
  await page.context().close();
});

test('STRUCTURED_COURSES_ENABLED off: the course reads as its modules in order, with their content, and nothing to walk', async () => {
  page = await signedInStudent(browser, student, PHONE, legacy.url);
  await openCatalogue(page);
  await openCourse(page, title);
  const headings = await page.getByRole('heading', { level: 2 }).allTextContents();
  expect(headings).toEqual(['Module 1: U1', 'Module 2: U2']);
  // Each page's markdown starts with a "# page <hex>" heading (test/support/content.ts newPage): it sits below its module's heading.
  const content = await page.getByRole('region', { name: 'Module 1: U1' }).getByRole('heading', { level: 3 }).allTextContents();
  expect(content).toEqual([expect.stringMatching(/^page [0-9a-f]+$/), expect.stringMatching(/^page [0-9a-f]+$/)]);
  expect(await page.getByRole('button', { name: /^(Start|Continue)$/ }).count()).toBe(0);
  expect(await page.getByRole('link', { name: /^Quiz:/ }).count()).toBe(0);
  await checkScreen(page, 'student-legacy-course');
});

test('PAGE_QUIZZES_ENABLED off: no page quiz in the outline nor on the way; the modules terminology names the units', async () => {
  page = await signedInStudent(browser, student, PHONE, noPageQuizzes.url);
  await openCatalogue(page);
  await openCourse(page, title);
  expect(await page.getByRole('heading', { level: 2, name: /^Module \d/ }).allTextContents()).toEqual(['Module 1: U1', 'Module 2: U2']);
  expect(await page.getByRole('link', { name: /^Quiz:/ }).allTextContents()).toEqual(['Quiz: Q2a']);
  await checkScreen(page, 'student-outline-modules');
  await expect(startCourse(page)).resolves.toEqual({ kind: 'page', title: 'P1.1' });
  await expect(pressNext(page)).resolves.toEqual({ kind: 'page', title: 'P1.2' });
});
