import type { Browser, Page } from 'playwright-core';
import { uniqueName, user, type TestUser } from '../../support/api';
import { checkScreen, launchBrowser, PHONE, DESKTOP, signedIn } from '../../support/browser';
import {
  answerQuiz,
  currentScreen,
  openCatalogue,
  openCourse,
  openGems,
  pressNext,
  readGemHistory,
  readProgress,
  resizeTo,
  retakeQuiz,
  signedInStudent,
  startCourse,
  submitQuiz,
  type QuizAnswers,
} from '../../support/browser-student';
import { markdown, must, newCategory, newCourse, newPage, newUnit } from '../../support/content';
import { newImage } from '../../support/media';
import { quizBody } from '../../support/quiz';

/** The answers to sampleQuestions(): all right (6 of 6), or the single-choice one wrong (4 of 6). */
const ALL_RIGHT: QuizAnswers = { 'Which is prime?': '7', 'Which are even?': ['2', '4'], 'The sky is blue.': 'True' };
const ONE_WRONG: QuizAnswers = { ...ALL_RIGHT, 'Which is prime?': '4' };

const PAGE_QUIZ_REWARD = 6; // all right: floor(6 × 6 / 6) = 6
const UNIT_QUIZ_REWARD = 12; // one wrong: floor(12 × 4 / 6) = 8

interface JourneyCourse {
  title: string;
  pages: string[][];
  pageQuiz: string;
  unitQuiz: string;
  imageAlt: string;
}

/** Two units of two pages; an image on the first page; a quiz after that page and one after the second unit. */
async function publishedCourse(): Promise<JourneyCourse> {
  const admin = await user('admin');
  const title = uniqueName('Journey course');
  const course = await newCourse(admin, await newCategory(), {
    title,
    description: 'Two units, two quizzes.',
    structure: { unitType: 'unit' },
  });
  const image = await newImage(admin, course.id, 640, 320);
  const imageAlt = 'A wide sample diagram';
  const pages = [
    ['Welcome', 'Second steps'],
    ['Deeper waters', 'Last page'],
  ];
  const unitIds: string[] = [];
  for (const [u, titles] of pages.entries()) {
    const unit = await newUnit(admin, course.id, { title: u === 0 ? 'Getting started' : 'Going further' });
    unitIds.push(unit.id);
    for (const [p, pageTitle] of titles.entries()) {
      const blocks =
        u === 0 && p === 0
          ? [
              markdown('## What you will learn\n\nHow a course is **walked**, page by page.'),
              { type: 'image', assetId: image.id, alt: imageAlt },
              { type: 'callout', tone: 'info', markdown: 'A quiz follows this page.' },
            ]
          : [markdown(`Text of ${pageTitle}.`)];
      await newPage(admin, course.id, unit.id, { title: pageTitle, blocks });
    }
  }
  const pageQuiz = 'Check your start';
  const unitQuiz = 'Final quiz';
  const quiz = (body: ReturnType<typeof quizBody>, quizTitle: string) =>
    must(201, 'POST', '/api/quizzes', { as: admin, body: { ...body, title: quizTitle } });
  await quiz(
    quizBody({ courseId: course.id, moduleId: unitIds[0]!, trigger: 'page', pageOrder: 1, gemReward: PAGE_QUIZ_REWARD }),
    pageQuiz,
  );
  await quiz(quizBody({ courseId: course.id, moduleId: unitIds[1]!, trigger: 'unit', gemReward: UNIT_QUIZ_REWARD }), unitQuiz);
  await must(200, 'POST', `/api/courses/${course.id}/publish`, { as: admin });
  return { title, pages, pageQuiz, unitQuiz, imageAlt };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

describe('a student walks a course', () => {
  let course: JourneyCourse;
  let student: TestUser;
  let page: Page;
  beforeAll(async () => {
    [course, student] = await Promise.all([publishedCourse(), user('student')]);
    page = await signedIn(browser, 'student', student, DESKTOP);
  });
  afterAll(async () => {
    await page.context().close();
  });

  test('from the catalogue to the end with Next, taking each quiz where it comes, and the gems add up', async () => {
    const listed = await openCatalogue(page);
    expect(listed.length).toBeGreaterThan(0);
    await checkScreen(page, 'student-catalogue');

    await openCourse(page, course.title);
    await expect(readProgress(page)).resolves.toBe(0);
    for (const title of [...course.pages.flat(), `Quiz: ${course.pageQuiz}`, `Quiz: ${course.unitQuiz}`])
      expect(await page.getByRole('link', { name: title, exact: true }).isVisible()).toBe(true);
    await checkScreen(page, 'student-outline');

    // Unit 1, page 1, with its image.
    await expect(startCourse(page)).resolves.toEqual({ kind: 'page', title: 'Welcome' });
    const image = page.getByRole('img', { name: course.imageAlt });
    const loadedWidth = await image.evaluate((element) => {
      const img = element as unknown as { decode(): Promise<void>; naturalWidth: number };
      return img.decode().then(() => img.naturalWidth);
    });
    expect(loadedWidth).toBeGreaterThan(0);
    expect([await image.getAttribute('width'), await image.getAttribute('height')]).toEqual(['640', '320']);
    expect(await page.getByRole('heading', { level: 3, name: 'What you will learn' }).isVisible()).toBe(true);
    await checkScreen(page, 'student-page');
    await resizeTo(page, PHONE);
    await checkScreen(page, 'student-page-phone');
    await resizeTo(page, DESKTOP);

    // The page quiz comes right after its page.
    await expect(pressNext(page)).resolves.toEqual({ kind: 'quiz', title: course.pageQuiz });
    await checkScreen(page, 'student-quiz');
    await answerQuiz(page, ALL_RIGHT);
    const pageQuizResult = await submitQuiz(page);
    expect(pageQuizResult).toEqual(expect.objectContaining({ score: 6, maxScore: 6, passed: true, gemsEarned: PAGE_QUIZ_REWARD }));
    expect(pageQuizResult.gemsMessage).toMatch(/^(You earned 6 gems\.|6 gems are on their way\.)/);
    await checkScreen(page, 'student-quiz-result');

    // The rest of unit 1, then unit 2, then its quiz after its last page.
    const walked: string[] = [];
    for (let screen = await pressNext(page); screen.kind === 'page'; screen = await pressNext(page)) walked.push(screen.title);
    expect(walked).toEqual(['Second steps', 'Deeper waters', 'Last page']);
    await expect(currentScreen(page)).resolves.toEqual({ kind: 'quiz', title: course.unitQuiz });

    await answerQuiz(page, ONE_WRONG);
    const unitQuizResult = await submitQuiz(page);
    expect(unitQuizResult).toEqual(expect.objectContaining({ score: 4, maxScore: 6, gemsEarned: 8 }));

    // A second attempt is scored but earns nothing.
    await retakeQuiz(page);
    await answerQuiz(page, ALL_RIGHT);
    const retake = await submitQuiz(page);
    expect(retake).toEqual(expect.objectContaining({ score: 6, maxScore: 6, passed: true, gemsEarned: 0 }));
    expect(retake.gemsMessage).toBe('No gems: only your first attempt earns gems.');

    await expect(pressNext(page)).resolves.toEqual({ kind: 'end', title: `End of ${course.title}` });
    expect(await page.getByText('100% complete').isVisible()).toBe(true);
    await checkScreen(page, 'student-end');

    // The gems screen, on a phone: the two first attempts, and nothing for the retake.
    const phone = await signedInStudent(browser, student, PHONE);
    const earned = pageQuizResult.gemsEarned + unitQuizResult.gemsEarned;
    await expect(openGems(phone)).resolves.toBe(earned);
    await expect(readGemHistory(phone)).resolves.toEqual([8, 6]);
    await checkScreen(phone, 'student-gems');
    await phone.context().close();
    const balance = await must(200, 'GET', '/api/gems/me', { as: student });
    expect(balance.earnedGems).toBe(earned);
  });
});
