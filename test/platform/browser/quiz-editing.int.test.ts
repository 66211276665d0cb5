/**
 * An author changes a quiz in the admin interface (its title, gems and a
 * question's right answer): the next attempts are scored by the new quiz,
 * and the attempt made before keeps its score and its gems.
 */
import type { Browser, Page } from 'playwright-core';
import { user, type TestUser } from '../../support/api';
import { checkScreen, launchBrowser } from '../../support/browser';
import { heading, open, signInAdmin } from '../../support/browser-admin';
import { must, newCourseTree } from '../../support/content';
import { correctAnswers, newQuiz, submit } from '../../support/quiz';

let browser: Browser;
let admin: TestUser;
let page: Page;
beforeAll(async () => {
  [browser, admin] = await Promise.all([launchBrowser(), user('admin')]);
});
afterAll(async () => {
  await page?.context().close();
  await browser?.close();
});

test('an author edits a quiz; an attempt made before keeps its score and gems, the next ones follow the change', async () => {
  const tree = await newCourseTree({ units: 1, pages: 1, published: true });
  const [unitId] = tree.unitIds;
  const quiz = await newQuiz({ courseId: tree.courseId, moduleId: unitId!, gemReward: 7 }, admin);
  const before = await user('student');
  const earlier = await submit(before, quiz.id, correctAnswers(quiz));
  expect(earlier.body).toMatchObject({ score: 6, maxScore: 6, gemsAwarded: 7 });

  page = await signInAdmin(browser, admin);
  await open(page, `/courses/${tree.courseId}/units/${unitId!}`);
  await page.getByRole('link', { name: `Edit quiz ${String(quiz.title)}` }).click();
  await heading(page, `Edit quiz: ${String(quiz.title)}`);
  // The form holds the quiz as stored: its right answers marked.
  expect(await page.getByRole('radio', { name: 'option 2 of question 1 is right' }).isChecked()).toBe(true);
  await checkScreen(page, 'admin-quiz-edit');

  await page.getByLabel('Quiz title').fill('Primes, revised');
  await page.getByLabel('Gem reward').fill('12');
  await page.getByRole('radio', { name: 'option 3 of question 1 is right' }).check();
  await page.getByRole('button', { name: 'Save quiz' }).click();
  await page.getByRole('link', { name: 'Edit quiz Primes, revised' }).waitFor();

  const stored = await must(200, 'GET', `/api/quizzes/${String(quiz.id)}`, { as: admin });
  expect(stored).toMatchObject({ title: 'Primes, revised', gemReward: 12, version: quiz.version + 1 });
  expect(stored.questions.map((question: { answer: unknown }) => question.answer)).toEqual([2, [0, 2], 0]);
  const kept = await must(200, 'GET', `/api/quizzes/${String(quiz.id)}/attempts`, { as: before });
  expect(kept.items).toEqual([expect.objectContaining({ score: 6, maxScore: 6, gemsAwarded: 7 })]);

  // The answers that were right are not, for the first question, any more (the changed quiz's questions have new ids).
  const after = await user('student');
  const formerlyRight = stored.questions.map((question: { id: string; answer: unknown }, index: number) => ({
    questionId: question.id,
    selected: index === 0 ? 1 : question.answer,
  }));
  const next = await submit(after, quiz.id, formerlyRight);
  expect(next.body).toMatchObject({ score: 4, maxScore: 6, gemsAwarded: 8 });
});
