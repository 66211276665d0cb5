/**
 * The pictures of the guides for people (docs/guides/admin.md, student.md):
 * an admin, a subadmin and a student go through every step the guides
 * describe, and each screen the guides show is saved into
 * docs/guides/screenshots/ as it is now, so a changed screen changes the
 * guide's picture. The last test fails when a guide names a picture this walk
 * no longer takes.
 *
 * A platform and database of its own: the pictures show only the course the
 * guides speak of, never the other tests' courses. The tests run in order.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Platform } from '@testmancer/local-platform';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { user, type TestUser } from '../../support/api';
import { launchBrowser, seriousViolations, signedIn, type Viewport } from '../../support/browser';
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
  listedUnits,
  navigate,
  open,
  openUnit,
  publish,
} from '../../support/browser-admin';
import {
  answerQuiz,
  navigateTo,
  openCourse,
  openGems,
  pressNext,
  readProgress,
  startCourse,
  submitQuiz,
  type QuizAnswers,
} from '../../support/browser-student';
import { must } from '../../support/content';
import { servicesOf } from '../../support/gateway';
import { GUIDE_SCREENSHOTS_DIR, ILLUSTRATED_GUIDES, screenshotsNamedIn } from '../../support/guides';
import { ownPlatform } from '../../support/own-platform';
import { interfaceWith, type FlaggedInterface } from '../../support/web-interface';

/** Narrower than the other browser tests' desktop: pictures that read well at a guide's width. */
const GUIDE_VIEWPORT: Viewport = { width: 1100, height: 720 };

const COURSE = {
  category: 'Languages',
  title: 'Spanish for travellers',
  description: 'Enough Spanish for a first trip: greetings, and finding your way at the station.',
  greetings: 'Greetings',
  station: 'At the station',
  pageQuiz: 'Quick check: greetings',
  unitQuiz: 'Station review',
};
const PAGE_QUIZ_RIGHT: QuizAnswers = { '“Hola” means hello.': 'True' };
/** One of two right: floor(10 × 1 / 2) = 5 gems. */
const UNIT_QUIZ_HALF: QuizAnswers = { 'Where do you buy a ticket?': 'La taquilla', 'How do you say “platform”?': 'El tren' };

let platform: Platform;
let browser: Browser;
let admin: TestUser;
const flagged: FlaggedInterface[] = [];
let courseId = '';
const taken = new Set<string>();

/**
 * Chromium draws a few edge pixels of the same screen differently from one run
 * to the next (12 to 19 measured); a changed word changes hundreds.
 */
const UNCHANGED_BELOW_PIXELS = 50;

/** Whether two pictures show the same screen: one size, and fewer than UNCHANGED_BELOW_PIXELS differ beyond antialiasing (pixelmatch). */
function sameScreen(before: Buffer, after: Buffer): boolean {
  const [a, b] = [PNG.sync.read(before), PNG.sync.read(after)];
  if (a.width !== b.width || a.height !== b.height) return false;
  return pixelmatch(a.data, b.data, null, a.width, a.height, { threshold: 0.1 }) < UNCHANGED_BELOW_PIXELS;
}

/**
 * A screen a guide shows: checked by axe (no serious finding) and saved as
 * docs/guides/screenshots/<name>.png when it differs from the picture there,
 * so that after a run git lists the pictures of screens that changed, and
 * only those.
 */
async function guideScreen(page: Page, name: string): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
  // From the top: Chromium draws a scrolled page's sticky header in the middle of a full-page picture.
  await page.evaluate('window.scrollTo(0, 0)');
  // Nor a button under the pointer, lit by hover in one run and not in the next.
  await page.mouse.move(0, 0);
  // The text cursor blinks: a picture taken with it on or off would differ from one run to the next.
  const picture = await page.screenshot({ fullPage: true, caret: 'hide', animations: 'disabled' });
  const file = path.join(GUIDE_SCREENSHOTS_DIR, `${name}.png`);
  if (!existsSync(file) || !sameScreen(readFileSync(file), picture)) writeFileSync(file, picture);
  taken.add(name);
}

const webOf = (app: 'admin' | 'student') => platform.webUrls![app];
const signIn = (app: 'admin' | 'student', as: TestUser, url = webOf(app)) => signedIn(browser, app, as, GUIDE_VIEWPORT, url);
const apiOf = (as: TestUser) => ({ as, baseUrl: platform.gatewayUrl });

/** The interface `app` in front of a gateway of its own, with these flags, before this platform's services. */
async function flaggedInterface(app: 'admin' | 'student', name: string, flags: Record<string, string>): Promise<string> {
  const running = await interfaceWith(app, `guides-${name}`, flags, servicesOf(platform));
  flagged.push(running);
  return running.url;
}

/** Dismisses the what's-new notice (pictured first), so that the screens after it are pictured as a returning user sees them. */
async function dismissWhatsNew(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Dismiss what’s new' }).click();
  await page.getByRole('region', { name: /^What’s new/ }).waitFor({ state: 'detached' });
}

/** The picture an author uploads in the guide: a greeting card drawn by the browser, so the guide shows an image, not a blank. */
async function greetingCard(): Promise<Buffer> {
  const card = await browser.newPage({ viewport: { width: 640, height: 360 } });
  await card.setContent(
    '<body style="margin:0;display:grid;place-items:center;height:360px;background:linear-gradient(135deg,#0b7285,#364fc7);' +
      'color:white;font:bold 64px sans-serif">¡Hola! · Adiós</body>',
  );
  const picture = await card.screenshot();
  await card.close();
  return picture;
}

beforeAll(async () => {
  mkdirSync(GUIDE_SCREENSHOTS_DIR, { recursive: true });
  [platform, browser, admin] = await Promise.all([ownPlatform('guides', { web: {} }), launchBrowser(), user('admin')]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(flagged.map((running) => running.stop()));
  await platform?.stop();
});

describe('the admin guide', () => {
  let page: Page;

  test('an admin is told what is new, makes a category and a course of two units, and orders them', async () => {
    page = await signIn('admin', admin);
    await heading(page, 'Courses');
    await page.getByRole('region', { name: /^What’s new/ }).waitFor();
    await guideScreen(page, 'admin-whats-new');
    await dismissWhatsNew(page);

    await createCategory(page, COURSE.category);
    await guideScreen(page, 'admin-categories');

    await navigate(page, 'New course');
    await heading(page, 'New course');
    await fillNewCourse(page, { title: COURSE.title, description: COURSE.description, category: COURSE.category });
    await guideScreen(page, 'admin-new-course');
    courseId = await createCourse(page, { title: COURSE.title, description: COURSE.description, category: COURSE.category });

    await addUnit(page, COURSE.station);
    await addUnit(page, COURSE.greetings);
    await dragWithKeyboard(page, COURSE.greetings, -1);
    expect(await listedUnits(page)).toEqual([COURSE.greetings, COURSE.station]);
    await guideScreen(page, 'admin-course-units');
  });

  test('writes pages with an image, a quiz after a page and one after a unit', async () => {
    await openUnit(page, COURSE.greetings);
    await addPageWithImage(
      page,
      'Hello and goodbye',
      { file: { name: 'greetings.png', mimeType: 'image/png', buffer: await greetingCard() }, alt: 'Two travellers greeting each other' },
      (editor) => guideScreen(editor, 'admin-page-editor'),
    );
    await addPage(page, { title: 'Introducing yourself', markdown: 'Say **Me llamo** and your name.' });
    await addQuiz(page, {
      trigger: { pageOrder: 1 },
      title: COURSE.pageQuiz,
      gemReward: 4,
      questions: [{ type: 'trueFalse', prompt: '“Hola” means hello.', answer: true }],
      beforeSave: (builder) => guideScreen(builder, 'admin-quiz-after-page'),
    });
    await guideScreen(page, 'admin-unit');

    await backToCourse(page, COURSE.title);
    await openUnit(page, COURSE.station);
    await addPage(page, { title: 'Buying a ticket', markdown: 'Ask for **un billete**, please: *por favor*.' });
    await addQuiz(page, {
      trigger: 'unit',
      title: COURSE.unitQuiz,
      gemReward: 10,
      questions: [
        { type: 'single', prompt: 'Where do you buy a ticket?', options: ['La taquilla', 'La playa'], answer: 0 },
        { type: 'single', prompt: 'How do you say “platform”?', options: ['El andén', 'El tren'], answer: 0 },
      ],
      beforeSave: (builder) => guideScreen(builder, 'admin-quiz-after-unit'),
    });
  });

  test('publishes the course', async () => {
    await backToCourse(page, COURSE.title);
    await publish(page);
    await guideScreen(page, 'admin-course-published');
    expect(await must(200, 'GET', `/api/courses/${courseId}`, apiOf(admin))).toEqual(expect.objectContaining({ status: 'published' }));
    await page.context().close();
  });

  test('a subadmin sees and authors only the courses of their categories', async () => {
    const sciences = await must(201, 'POST', '/api/categories', { ...apiOf(admin), body: { name: 'Sciences' } });
    await must(201, 'POST', '/api/courses', {
      ...apiOf(admin),
      body: { title: 'Chemistry basics', categoryId: sciences.id, structure: { unitType: 'unit' } },
    });
    const subadmin = await user('subadmin', [sciences.id]);
    const scoped = await signIn('admin', subadmin);
    await dismissWhatsNew(scoped);
    await scoped.getByRole('list', { name: 'Courses' }).getByRole('heading', { name: 'Chemistry basics' }).waitFor();
    await expect(scoped.getByRole('heading', { name: COURSE.title }).count()).resolves.toBe(0);
    await guideScreen(scoped, 'admin-subadmin-courses');

    await open(scoped, `/courses/${courseId}`, webOf('admin'));
    await heading(scoped, 'Course not found');
    await guideScreen(scoped, 'admin-subadmin-not-found');
    await scoped.context().close();
  });

  test('what authors see as each flag flips', async () => {
    const [modules, noPageQuizzes, legacy] = await Promise.all([
      flaggedInterface('admin', 'modules', { USE_MODULES_TERMINOLOGY: 'true' }),
      flaggedInterface('admin', 'no-page-quizzes', { PAGE_QUIZZES_ENABLED: 'false' }),
      flaggedInterface('admin', 'legacy', { STRUCTURED_COURSES_ENABLED: 'false' }),
    ]);

    const withModules = await signIn('admin', admin, modules);
    await open(withModules, `/courses/${courseId}`, modules);
    await heading(withModules, COURSE.title);
    await withModules.getByRole('list', { name: 'Modules in order' }).waitFor();
    await guideScreen(withModules, 'admin-flag-modules');
    await withModules.context().close();

    const withoutPageQuizzes = await signIn('admin', admin, noPageQuizzes);
    await open(withoutPageQuizzes, `/courses/${courseId}`, noPageQuizzes);
    await openUnit(withoutPageQuizzes, COURSE.greetings);
    await withoutPageQuizzes.getByRole('link', { name: 'Add quiz' }).click();
    await heading(withoutPageQuizzes, 'New quiz');
    await expect(withoutPageQuizzes.getByRole('radio', { name: 'After a page' }).count()).resolves.toBe(0);
    await guideScreen(withoutPageQuizzes, 'admin-flag-no-page-quizzes');
    await withoutPageQuizzes.context().close();

    const withLegacy = await signIn('admin', admin, legacy);
    // No what's-new notice: structured courses are off for this user.
    await heading(withLegacy, 'Courses');
    await open(withLegacy, `/courses/${courseId}`, legacy);
    await withLegacy.getByText('Structured courses are turned off for you, so courses cannot be edited here.').waitFor();
    await expect(withLegacy.getByRole('region', { name: /^What’s new/ }).count()).resolves.toBe(0);
    await guideScreen(withLegacy, 'admin-flag-legacy');
    await withLegacy.context().close();
  });
});

describe('the student guide', () => {
  let page: Page;
  let student: TestUser;

  test('a student is told what is new, finds the course, and opens it', async () => {
    student = await user('student');
    page = await signIn('student', student);
    await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
    await page.getByRole('list', { name: 'Courses' }).getByRole('link', { name: COURSE.title }).waitFor();
    await page.getByRole('region', { name: /^What’s new/ }).waitFor();
    await guideScreen(page, 'student-whats-new');
    await dismissWhatsNew(page);
    await guideScreen(page, 'student-catalogue');

    await openCourse(page, COURSE.title);
    await guideScreen(page, 'student-course');
  });

  test('moves through the pages with Next, takes the quizzes where they come, and earns gems on a first attempt', async () => {
    expect(await startCourse(page)).toEqual({ kind: 'page', title: 'Hello and goodbye' });
    await page.getByRole('img', { name: 'Two travellers greeting each other' }).waitFor();
    await guideScreen(page, 'student-page');

    expect(await pressNext(page)).toEqual({ kind: 'quiz', title: COURSE.pageQuiz });
    await answerQuiz(page, PAGE_QUIZ_RIGHT);
    await guideScreen(page, 'student-quiz');
    await submitQuiz(page);
    // Granted, not on its way: the picture shows what a student sees once the gems service answered.
    await page.getByRole('region', { name: 'Gems' }).getByText('You earned 4 gems.').waitFor();
    await guideScreen(page, 'student-quiz-result');

    expect(await pressNext(page)).toEqual({ kind: 'page', title: 'Introducing yourself' });
    expect(await pressNext(page)).toEqual({ kind: 'page', title: 'Buying a ticket' });
    expect(await pressNext(page)).toEqual({ kind: 'quiz', title: COURSE.unitQuiz });
    await answerQuiz(page, UNIT_QUIZ_HALF);
    expect((await submitQuiz(page)).gemsEarned).toBe(5);
    // Granted before the gems screen is pictured with its balance.
    await page.getByRole('region', { name: 'Gems' }).getByText('You earned 5 gems.').waitFor();
    expect((await pressNext(page)).kind).toBe('end');
    await guideScreen(page, 'student-course-end');
  });

  test('a second attempt is scored and earns nothing; progress and the gems screen', async () => {
    await openCourse(page, COURSE.title);
    await page.getByRole('link', { name: `Quiz: ${COURSE.pageQuiz}`, exact: true }).click();
    await answerQuiz(page, PAGE_QUIZ_RIGHT);
    expect(await submitQuiz(page)).toEqual(expect.objectContaining({ score: 1, gemsEarned: 0 }));
    await guideScreen(page, 'student-quiz-again');

    await openCourse(page, COURSE.title);
    expect(await readProgress(page)).toBe(100);
    await guideScreen(page, 'student-progress');

    expect(await openGems(page)).toBe(9);
    await page.getByRole('region', { name: 'History' }).getByRole('row').nth(2).waitFor();
    await guideScreen(page, 'student-gems');
    await page.context().close();
  });

  test('a student for whom structured courses are still off sees the course as before', async () => {
    const legacy = await flaggedInterface('student', 'legacy', { STRUCTURED_COURSES_ENABLED: 'false' });
    const before = await signIn('student', student, legacy);
    await navigateTo(before, 'Catalogue');
    await openCourse(before, COURSE.title);
    await expect(before.getByRole('region', { name: /^What’s new/ }).count()).resolves.toBe(0);
    await guideScreen(before, 'student-legacy-view');
    await before.context().close();
  });
});

test.each(ILLUSTRATED_GUIDES)('every screenshot %s shows was taken by this walk', (guide) => {
  const named = screenshotsNamedIn(guide);
  expect(named.length).toBeGreaterThan(0);
  expect(named.filter((name) => !taken.has(name))).toEqual([]);
});
