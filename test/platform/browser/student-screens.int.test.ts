import type { Browser, Page } from 'playwright-core';
import { newId, user, type TestUser } from '../../support/api';
import { checkScreen, launchBrowser, PHONE, webUrl } from '../../support/browser';
import { nextScreenAfter, openCatalogue, openCourse, readQuizResult, screenTitle, signedInStudent } from '../../support/browser-student';
import { must, newCourseTree } from '../../support/content';
import { newQuiz, sampleQuestions } from '../../support/quiz';

let browser: Browser;
let student: TestUser;
let page: Page;
beforeAll(async () => {
  [browser, student] = await Promise.all([launchBrowser(), user('student')]);
  page = await signedInStudent(browser, student, PHONE);
});
afterAll(async () => {
  await browser.close();
});

/** The interface at `path`, as a link or a bookmark opens it (the tab keeps its sign-in). */
async function open(path: string): Promise<string> {
  await page.goto(new URL(path.replace(/^\//, ''), `${webUrl('student').replace(/\/?$/, '/')}`).toString());
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return screenTitle(page);
}

describe('what does not exist is said plainly', () => {
  test('a course that does not exist', async () => {
    await expect(open(`/courses/${newId()}`)).resolves.toBe('Not found');
    expect(await page.getByText('This course does not exist, or it is not available to you.', { exact: false }).isVisible()).toBe(true);
    await checkScreen(page, 'student-not-found');
  });

  test('an unpublished course is not found either', async () => {
    const draft = await newCourseTree({ units: 1, pages: 1 });
    await expect(open(`/courses/${draft.courseId}`)).resolves.toBe('Not found');
  });

  test('a page past the end of a unit, and a quiz that does not exist', async () => {
    const course = await newCourseTree({ units: 1, pages: 1, published: true });
    await expect(open(`/courses/${course.courseId}/units/${course.unitIds[0]!}/pages/9`)).resolves.toBe('Not found');
    expect(await page.getByText('This page does not exist', { exact: false }).isVisible()).toBe(true);
    await expect(open(`/courses/${course.courseId}/quizzes/${newId()}`)).resolves.toBe('Not found');
    expect(await page.getByText('This quiz does not exist', { exact: false }).isVisible()).toBe(true);
  });

  test('an address the interface does not have', async () => {
    await expect(open('/no/such/screen')).resolves.toBe('Not found');
  });
});

describe('keyboard', () => {
  test('a quiz is answered and submitted with the keyboard only, from the outline at phone width', async () => {
    const course = await newCourseTree({ units: 1, pages: 1, published: true });
    const questions = [...sampleQuestions(), { type: 'number', prompt: 'How many legs has a spider?', answer: 8 }];
    const quiz = await newQuiz({ courseId: course.courseId, moduleId: course.unitIds[0]!, gemReward: 3, questions });
    const { title } = await must<{ title: string }>(200, 'GET', `/api/courses/${course.courseId}`, { as: student });
    await openCatalogue(page);
    await openCourse(page, title);
    await page.getByRole('link', { name: `Quiz: ${quiz.title as string}`, exact: true }).focus();
    await page.keyboard.press('Enter');
    // The course screen stays until the quiz's is in: wait for a title other than the course's.
    await expect(nextScreenAfter(page, title)).resolves.toBe(quiz.title);

    // Radio buttons of one question are one tab stop; the arrow keys choose within it.
    await page.getByRole('group', { name: 'Which is prime?' }).getByRole('radio').first().focus();
    await page.keyboard.press('ArrowDown'); // 7, right
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // "2" of the checkboxes
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // "4"
    await page.getByLabel('How many legs has a spider?').focus();
    await page.keyboard.type('8');
    expect(await page.getByRole('radio', { name: '7', exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: '4', exact: true }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Submit answers' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Result: ${quiz.title as string}` }).waitFor();
    // The true/false question was left out: it scores 0. Gems: floor(3 × 6 / 7).
    await expect(readQuizResult(page)).resolves.toEqual(expect.objectContaining({ score: 6, maxScore: 7, gemsEarned: 2 }));
    // The result's heading has the focus, so a screen reader starts reading there.
    expect(await page.getByRole('heading', { level: 1 }).evaluate((heading) => heading === heading.ownerDocument.activeElement)).toBe(true);
  });
});
