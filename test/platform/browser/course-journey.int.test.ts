import { png } from '@testmancer/testing';
import type { Browser, Page } from 'playwright-core';
import { uniqueName, user, type TestUser } from '../../support/api';
import { checkScreen, DESKTOP, launchBrowser, PHONE, signedIn } from '../../support/browser';
import {
  addPage,
  addPageWithImage,
  addQuiz,
  addUnit,
  backToCourse,
  createCategory,
  createCourse,
  dragWithKeyboard,
  fillNewCourse,
  heading,
  listedCourses,
  listedUnits,
  navigate,
  open,
  openUnit,
  publish,
  signInAdmin,
} from '../../support/browser-admin';
import { answerQuiz, openCourse, openGems, pressNext, startCourse, submitQuiz, type QuizAnswers } from '../../support/browser-student';
import { must } from '../../support/content';

/** The page quiz all right (5 of 5 gems); the unit quiz with the multiple-choice question wrong: 2 of 4 points, floor(20 × 2 / 4) = 10 gems. */
const PAGE_QUIZ_RIGHT: QuizAnswers = { 'The course has two weeks.': 'True' };
const UNIT_QUIZ_HALF: QuizAnswers = { 'Which one is a colour?': 'Blue', 'Which are even?': ['2', '3'], 'How much is 6 × 7?': 42 };

/**
 * The whole journey in the browser: an admin builds a course in the authoring
 * interface (a category, a course of two units, pages with an uploaded image,
 * a page quiz and a unit quiz, the units reordered by dragging) and publishes
 * it; a student walks it in the student interface and earns gems once; a
 * subadmin of another category does not see it. The tests run in order and
 * share what the first one built.
 */
let browser: Browser;
let admin: TestUser;
let page: Page;

const built = {
  category: uniqueName('Category'),
  course: uniqueName('Course'),
  first: 'Getting started',
  second: 'Going further',
  courseId: '',
};

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await user('admin');
});
afterAll(async () => {
  await browser.close();
});

describe('an admin authors a course', () => {
  test('creates a category and a course of two units, and reorders the units by dragging', async () => {
    page = await signedIn(browser, 'admin', admin, DESKTOP);
    await heading(page, 'Courses');
    await checkScreen(page, 'admin-courses');

    await createCategory(page, built.category);
    await checkScreen(page, 'admin-categories');

    await navigate(page, 'New course');
    await heading(page, 'New course');
    await fillNewCourse(page, { title: built.course, category: built.category, unitType: 'week' });
    await checkScreen(page, 'admin-new-course');
    built.courseId = await createCourse(page, {
      title: built.course,
      description: 'Everything about **authoring**.',
      category: built.category,
      unitType: 'week',
    });

    await addUnit(page, built.second);
    await addUnit(page, built.first);
    expect(await listedUnits(page)).toEqual([built.second, built.first]);
    await dragWithKeyboard(page, built.first, -1);
    expect(await listedUnits(page)).toEqual([built.first, built.second]);
    await checkScreen(page, 'admin-course');

    const course = await must(200, 'GET', `/api/courses/${built.courseId}`, { as: admin });
    expect(course.units.map((unit: { title: string }) => unit.title)).toEqual([built.first, built.second]);
    expect(course.structure.unitType).toBe('week');
  });

  test('writes pages with an uploaded image, a page quiz and a unit quiz', async () => {
    await openUnit(page, built.first);
    await addPageWithImage(
      page,
      'Welcome',
      { file: { name: 'diagram.png', mimeType: 'image/png', buffer: png(640, 360) }, alt: 'A diagram of the course' },
      (editor) => checkScreen(editor, 'admin-page-editor'),
    );
    await addPage(page, { title: 'Your first steps', markdown: '## Steps\n\n1. Read\n2. Try' });
    await addQuiz(page, {
      trigger: { pageOrder: 1 },
      title: 'Did you read the welcome?',
      gemReward: 5,
      questions: [{ type: 'trueFalse', prompt: 'The course has two weeks.', answer: true }],
    });
    await checkScreen(page, 'admin-unit');

    await backToCourse(page, built.course);
    await openUnit(page, built.second);
    await addPage(page, { title: 'Practice' });
    await addQuiz(page, {
      trigger: 'unit',
      title: 'End of the second week',
      gemReward: 20,
      questions: [
        { type: 'single', prompt: 'Which one is a colour?', options: ['Blue', 'Seven', 'Monday'], answer: 0 },
        { type: 'multiple', prompt: 'Which are even?', options: ['2', '3', '4'], answer: [0, 2], points: 2 },
        { type: 'number', prompt: 'How much is 6 × 7?', answer: 42 },
      ],
      beforeSave: (builder) => checkScreen(builder, 'admin-quiz-builder'),
    });

    // What the screens showed is what the gateway holds.
    const [firstId, secondId] = (await must(200, 'GET', `/api/courses/${built.courseId}`, { as: admin })).units.map(
      (unit: { id: string }) => unit.id,
    );
    const welcome = await must(200, 'GET', `/api/courses/${built.courseId}/units/${firstId}/pages/1`, { as: admin });
    expect(welcome.title).toBe('Welcome');
    expect(welcome.blocks).toEqual([
      { type: 'markdown', markdown: 'Welcome to Welcome.' },
      { type: 'image', assetId: expect.stringMatching(/^[0-9a-f]{24}$/), alt: 'A diagram of the course' },
    ]);
    expect(welcome.media).toEqual([
      expect.objectContaining({ assetId: welcome.blocks[1].assetId, kind: 'image', width: 640, height: 360 }),
    ]);

    const pageQuizzes = await must(200, 'GET', `/api/quizzes/page/${firstId}/1`, { as: admin });
    expect(pageQuizzes.items).toEqual([
      expect.objectContaining({ title: 'Did you read the welcome?', trigger: 'page', moduleId: firstId, pageOrder: 1, gemReward: 5 }),
    ]);
    const unitQuizzes = await must(200, 'GET', `/api/quizzes/unit/${secondId}`, { as: admin });
    expect(unitQuizzes.items).toEqual([
      expect.objectContaining({ title: 'End of the second week', trigger: 'unit', moduleId: secondId, gemReward: 20 }),
    ]);
    const authored = await must(200, 'GET', `/api/quizzes/${unitQuizzes.items[0].id}`, { as: admin });
    expect(authored.questions.map((question: { type: string; answer: unknown }) => [question.type, question.answer])).toEqual([
      ['single', 0],
      ['multiple', [0, 2]],
      ['number', 42],
    ]);
  });

  test('publishes the course, and the screens say so, on a phone too', async () => {
    await backToCourse(page, built.course);
    await publish(page);
    const course = await must(200, 'GET', `/api/courses/${built.courseId}`, { as: admin });
    expect(course).toEqual(expect.objectContaining({ status: 'published', structure: { unitType: 'week', unitCount: 2 } }));
    expect(course.units.map((unit: { title: string; pageCount: number }) => [unit.title, unit.pageCount])).toEqual([
      [built.first, 2],
      [built.second, 1],
    ]);

    const phone = await signInAdmin(browser, admin, PHONE);
    // Its own category: the other tests' courses would push it off the first page otherwise.
    await phone.getByRole('combobox', { name: 'Category', exact: true }).selectOption({ label: built.category });
    await phone.getByRole('combobox', { name: 'Status' }).selectOption('published');
    // The list answers the filters once they are applied (a read of it before would see the unfiltered one).
    await phone.getByRole('list', { name: 'Courses' }).getByRole('heading', { name: built.course, exact: true }).waitFor();
    expect(await listedCourses(phone)).toEqual([built.course]);
    await checkScreen(phone, 'admin-courses-phone');
    await phone.getByRole('link', { name: built.course, exact: true }).click();
    await heading(phone, built.course);
    await phone.getByText('Students can see this course.').waitFor();
    await checkScreen(phone, 'admin-course-phone');
    await phone.context().close();
  });

  test('a student walks the published course with Next, takes both quizzes where they come, and earns gems once', async () => {
    const student = await user('student');
    const walker = await signedIn(browser, 'student', student, DESKTOP);
    await openCourse(walker, built.course);
    const seen = [await startCourse(walker)];
    for (let screen = seen[0]!; screen.kind !== 'end';) {
      if (screen.kind === 'quiz') {
        await answerQuiz(walker, screen.title === 'Did you read the welcome?' ? PAGE_QUIZ_RIGHT : UNIT_QUIZ_HALF);
        const result = await submitQuiz(walker);
        expect(result.gemsEarned).toBe(screen.title === 'Did you read the welcome?' ? 5 : 10);
      }
      screen = await pressNext(walker);
      seen.push(screen);
    }
    // The page quiz right after its page; the unit quiz after the second unit's last page.
    expect(seen).toEqual([
      { kind: 'page', title: 'Welcome' },
      { kind: 'quiz', title: 'Did you read the welcome?' },
      { kind: 'page', title: 'Your first steps' },
      { kind: 'page', title: 'Practice' },
      { kind: 'quiz', title: 'End of the second week' },
      { kind: 'end', title: expect.any(String) },
    ]);

    // A second attempt is scored but earns nothing.
    await openCourse(walker, built.course);
    await walker.getByRole('link', { name: 'Quiz: Did you read the welcome?', exact: true }).click();
    await answerQuiz(walker, PAGE_QUIZ_RIGHT);
    const again = await submitQuiz(walker);
    expect(again).toEqual(expect.objectContaining({ score: 1, maxScore: 1, gemsEarned: 0 }));
    expect(again.gemsMessage).toMatch(/only your first attempt earns gems/);

    expect(await openGems(walker)).toBe(15);
    const ledger = await must(200, 'GET', '/api/gems/me', { as: student });
    expect(ledger.earnedGems).toBe(15);
    await walker.context().close();
  });

  test('a subadmin of another category neither lists the course nor opens it', async () => {
    const ownName = uniqueName('Category');
    const otherCategory = (await must(201, 'POST', '/api/categories', { as: admin, body: { name: ownName } })).id as string;
    const subadmin = await user('subadmin', [otherCategory]);

    const scoped = await signInAdmin(browser, subadmin, DESKTOP);
    expect(await listedCourses(scoped)).not.toContain(built.course);
    const categoryFilter = scoped.getByRole('combobox', { name: 'Category', exact: true });
    await categoryFilter.locator('option', { hasText: ownName }).waitFor({ state: 'attached' });
    expect(await categoryFilter.locator('option').allTextContents()).toEqual(['All categories', ownName]);

    await open(scoped, `/courses/${built.courseId}`);
    await heading(scoped, 'Course not found');
    await scoped.getByText('There is no such course, or it is not in your categories.').waitFor();
    await checkScreen(scoped, 'admin-not-found');
    await scoped.context().close();
  });
});
