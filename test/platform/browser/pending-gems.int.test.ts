/**
 * Gems on their way land on the result screen by themselves: with the gems
 * service stopped, a first attempt answers that its gems are on their way;
 * once the service is back, the screen says they were earned, without a
 * reload. The platform is the test's own (its gems process is stopped), with
 * the student interface in front of its gateway.
 */
import type { Platform } from '@testmancer/local-platform';
import type { Browser, Page } from 'playwright-core';
import { user } from '../../support/api';
import { checkScreen, DESKTOP, launchBrowser } from '../../support/browser';
import { answerQuiz, readQuizResult, screenTitle, signedInStudent, submitQuiz } from '../../support/browser-student';
import { ownPlatform } from '../../support/own-platform';
import { publishedQuizAt } from '../../support/quiz';
import { webFor, type WebInterface } from '../../support/web-interface';

let platform: Platform;
let web: WebInterface;
let browser: Browser;
let page: Page;
beforeAll(async () => {
  platform = await ownPlatform('pending-gems');
  [web, browser] = await Promise.all([webFor('student', 'pending-gems', platform.gatewayUrl), launchBrowser()]);
});
afterAll(async () => {
  await page?.context().close();
  await browser?.close();
  await web?.stop();
  await platform?.stop();
});

test('a first attempt answered while gems are down shows them on their way, then earned once gems is back, with no reload', async () => {
  const quiz = await publishedQuizAt(platform.gatewayUrl, 7);
  const student = await user('student');
  page = await signedInStudent(browser, student, DESKTOP, web.url);
  await page.goto(new URL(`courses/${String(quiz.courseId)}/quizzes/${String(quiz.id)}`, web.url).href);
  expect(await screenTitle(page)).toBe(quiz.title);
  await answerQuiz(page, { 'Which is prime?': '7', 'Which are even?': ['2', '4'], 'The sky is blue.': 'True' });

  await platform.stopProcess('gems');
  const submitted = await submitQuiz(page);
  expect(submitted).toMatchObject({ score: 6, maxScore: 6, passed: true });
  expect(submitted.gemsMessage).toMatch(/^7 gems are on their way\./);
  await checkScreen(page, 'student-quiz-gems-pending');

  await platform.startProcess('gems');
  const gems = page.getByRole('region', { name: 'Gems' }).getByText('You earned 7 gems.');
  await gems.waitFor({ timeout: 60_000 });
  expect((await readQuizResult(page)).gemsEarned).toBe(7);
});
