/**
 * Steps of an author in the admin interface, driven the way a person does it:
 * through roles, names and labels only (no test ids, no CSS). Each step starts
 * on the screen it names and ends once the screen shows its result, so that
 * steps compose into journeys (an admin builds a course, then a student walks it).
 */
import type { Browser, Locator, Page } from 'playwright-core';
import type { TestUser } from './api';
import { DESKTOP, signedIn, webUrl, type Viewport } from './browser';

/** The word the interface uses for units ("unit", or "module" with USE_MODULES_TERMINOLOGY): steps accept both. */
const UNIT = '(unit|module)';

export interface FileToUpload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The one h1 of the screen, once it says `text`. */
export async function heading(page: Page, text: string | RegExp): Promise<Locator> {
  const h1 = page.getByRole('heading', { level: 1, name: text });
  await h1.waitFor();
  return h1;
}

/** A fresh page of the admin interface at any viewport (a phone, a desktop), signed in through the sign-in form. */
export const signInAdmin = (browser: Browser, as: TestUser, viewport: Viewport = DESKTOP): Promise<Page> =>
  signedIn(browser, 'admin', as, viewport);

/** Follows an entry of the main navigation, opening the menu first on a phone. */
export async function navigate(page: Page, label: 'Courses' | 'New course' | 'Categories'): Promise<void> {
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
}

/** Opens a screen by its address (as a bookmark or a shared link would), on the platform's admin interface or another (`base`); the tab keeps its sign-in. */
export async function open(page: Page, path: string, base = webUrl('admin')): Promise<void> {
  await page.goto(`${base.replace(/\/$/, '')}${path}`);
}

/** The id that follows `segment` in the page's address ("courses" → the course id). */
export function idFromUrl(page: Page, segment: 'courses' | 'units'): string {
  const match = new RegExp(`/${segment}/([0-9a-f]{24})`).exec(page.url());
  if (!match?.[1]) throw new Error(`no ${segment} id in ${page.url()}`);
  return match[1];
}

/** The titles of the courses listed on the courses screen, in order. */
export async function listedCourses(page: Page): Promise<string[]> {
  await heading(page, 'Courses');
  const list = page.getByRole('list', { name: 'Courses' });
  const empty = page.getByText('No courses match these filters.');
  await list.or(empty).first().waitFor();
  if (await empty.isVisible()) return [];
  return list.getByRole('heading', { level: 2 }).allTextContents();
}

/** Categories screen: an admin creates one; returns once the screen confirms it and lists it. */
export async function createCategory(page: Page, name: string): Promise<void> {
  await navigate(page, 'Categories');
  await heading(page, 'Categories');
  await page.getByLabel('Category name').fill(name);
  await page.getByRole('button', { name: 'Create category' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Category “${name}” created.` })
    .waitFor();
  await page.getByRole('list', { name: 'Categories' }).getByText(name, { exact: true }).waitFor();
}

export type UnitType = 'unit' | 'module' | 'chapter' | 'week' | 'lesson';
const STRUCTURE_LABELS: Record<UnitType, string> = {
  unit: 'Units',
  module: 'Modules',
  chapter: 'Chapters',
  week: 'Weeks',
  lesson: 'Lessons',
};

/** New course screen → the new course's screen; returns the course id. */
export async function createCourse(
  page: Page,
  course: { title: string; description?: string; category: string; unitType?: UnitType },
): Promise<string> {
  await navigate(page, 'New course');
  await heading(page, 'New course');
  await fillNewCourse(page, course);
  await page.getByRole('button', { name: 'Create course' }).click();
  await heading(page, course.title);
  return idFromUrl(page, 'courses');
}

/** Fills the new course form without sending it (to look at it, or to send it with createCourse). */
export async function fillNewCourse(
  page: Page,
  course: { title: string; description?: string; category: string; unitType?: UnitType },
): Promise<void> {
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill(course.title);
  if (course.description) await page.getByRole('textbox', { name: 'Description', exact: true }).fill(course.description);
  const category = page.getByRole('combobox', { name: 'Category', exact: true });
  // The categories arrive after the form: wait for the option before choosing it.
  await category.locator('option', { hasText: course.category }).waitFor({ state: 'attached' });
  await category.selectOption({ label: course.category });
  await page.getByRole('radio', { name: STRUCTURE_LABELS[course.unitType ?? 'unit'] }).check();
}

/** The titles of the course's units as its screen lists them, in order. */
export async function listedUnits(page: Page): Promise<string[]> {
  const list = page.getByRole('list', { name: /^(Units|Modules) in order$/ });
  await list.waitFor();
  return list.getByRole('listitem').getByRole('link').allTextContents();
}

/** Course screen: adds a unit at the end; returns once it is listed. */
export async function addUnit(page: Page, title: string): Promise<void> {
  await page.getByLabel(new RegExp(`^Title of the new ${UNIT}`)).fill(title);
  await page.getByRole('button', { name: new RegExp(`^Add ${UNIT}$`) }).click();
  await page
    .getByRole('list', { name: /in order$/ })
    .getByRole('link', { name: title, exact: true })
    .waitFor();
}

/** The drag handle of the sortable list's row titled `title`. */
const dragHandle = (page: Page, title: string) =>
  page.getByRole('button', { name: new RegExp(`^Drag ${escape(title)} \\(position \\d+\\) to reorder$`) });

/**
 * Course or unit screen: moves an item of the sortable list by `offset` places
 * (negative: up) with the keyboard, as a keyboard user drags: Space on the drag
 * handle, arrows, Space. Each key waits for what the screen reader is told.
 */
export async function dragWithKeyboard(page: Page, title: string, offset: number): Promise<void> {
  const handle = dragHandle(page, title);
  const announced = (text: string) => page.getByText(text, { exact: true }).waitFor({ state: 'attached' });
  // The list settled first: a refetch landing mid-drag (after an item was just added) re-renders the rows under the drag.
  await page.waitForLoadState('networkidle');
  const from = Number(/position (\d+)/.exec((await handle.getAttribute('aria-label')) ?? '')?.[1]);
  await handle.focus();
  await page.keyboard.press('Space');
  // Picked up: the handle is pressed (the announcement of it is at once replaced by where it is over).
  await page.getByRole('button', { name: `Drag ${title} (position ${String(from)}) to reorder`, pressed: true }).waitFor();
  // Over its own place once the rows are measured: an arrow pressed before that moves nothing, as for any keyboard user.
  await announced(`${title} is over position ${String(from)}.`);
  for (let step = 1; step <= Math.abs(offset); step += 1) {
    const over = `${title} is over position ${String(from + Math.sign(offset) * step)}.`;
    // An arrow pressed while the rows are still being measured (a busy machine) moves nothing: pressed again, as a person would.
    for (let press = 1; ; press += 1) {
      await page.keyboard.press(offset < 0 ? 'ArrowUp' : 'ArrowDown');
      const moved = await page
        .getByText(over, { exact: true })
        .waitFor({ state: 'attached', timeout: 2_000 })
        .then(
          () => true,
          () => false,
        );
      if (moved) break;
      if (press === 5) throw new Error(`${title} did not move after ${String(press)} presses: ${over} was never announced`);
    }
  }
  await page.keyboard.press('Space');
  // Dropped, the order sent with the course's version, and the gateway's answer in.
  await page.getByRole('status').filter({ hasText: 'New order saved.' }).waitFor();
}

/**
 * Course or unit screen: drags the row titled `title` with the mouse onto the
 * place of the row titled `onto`, as a mouse user does: press on the handle,
 * move, release once the list says where it is over.
 */
export async function dragWithMouse(page: Page, title: string, onto: string): Promise<void> {
  // As for the keyboard: a refetch landing mid-drag would re-render the rows under it.
  await page.waitForLoadState('networkidle');
  const handle = dragHandle(page, title);
  const target = dragHandle(page, onto);
  const to = Number(/position (\d+)/.exec((await target.getAttribute('aria-label')) ?? '')?.[1]);
  const from = await handle.boundingBox();
  const over = await target.boundingBox();
  if (!from || !over) throw new Error(`the handles of ${title} and ${onto} are not on the screen`);
  const [x, y] = [from.x + from.width / 2, from.y + from.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  // Past the list's 4 px activation distance: the row is picked up.
  await page.mouse.move(x, y + 8, { steps: 4 });
  await page.getByRole('button', { name: new RegExp(`^Drag ${escape(title)} `), pressed: true }).waitFor();
  await page.mouse.move(over.x + over.width / 2, over.y + over.height / 2, { steps: 12 });
  await page.getByText(`${title} is over position ${String(to)}.`, { exact: true }).waitFor({ state: 'attached' });
  await page.mouse.up();
  await page.getByRole('status').filter({ hasText: 'New order saved.' }).waitFor();
}

/** Course or unit screen: renames the row titled `title` in place; returns once the screen says so (with an Undo). */
export async function renameInList(page: Page, title: string, newTitle: string): Promise<void> {
  await page.getByRole('button', { name: `Rename ${title}`, exact: true }).click();
  await page.getByRole('textbox', { name: new RegExp(`^New title of (${UNIT}|page) \\d+$`) }).fill(newTitle);
  await page.getByRole('button', { name: 'Save title' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Renamed “${title}” to “${newTitle}”.` })
    .waitFor();
}

/** Waits until the element's transitions (a dialog fading in) have ended: axe measures colours as they are shown. */
export async function settled(element: Locator): Promise<void> {
  await element.evaluate((node) =>
    Promise.all(
      (node as unknown as { getAnimations(options: object): { finished: Promise<unknown> }[] })
        .getAnimations({ subtree: true })
        .map((animation) => animation.finished),
    ),
  );
}

/** Course, unit or page screen: presses an Archive button; returns the confirmation dialog it opens, once its transition is over. */
export async function openArchiveDialog(page: Page, button: Locator): Promise<Locator> {
  await button.click();
  const dialog = page.getByRole('dialog', { name: /^Archive the / });
  await dialog.waitFor();
  await settled(dialog);
  return dialog;
}

/** The titles of the unit's pages as its screen lists them, in order. */
export async function listedPages(page: Page): Promise<string[]> {
  const list = page.getByRole('list', { name: 'Pages in order' });
  const empty = page.getByText('No pages yet.');
  await list.or(empty).first().waitFor();
  if (await empty.isVisible()) return [];
  return list.getByRole('listitem').getByRole('link').allTextContents();
}

/** Course screen → the unit's screen. */
export async function openUnit(page: Page, title: string): Promise<string> {
  await page
    .getByRole('list', { name: /in order$/ })
    .getByRole('link', { name: title, exact: true })
    .click();
  await heading(page, title);
  return idFromUrl(page, 'units');
}

/** A unit's or page's screen → back to the course screen, through the breadcrumbs. */
export async function backToCourse(page: Page, courseTitle: string): Promise<void> {
  await page.getByRole('link', { name: courseTitle, exact: true }).click();
  await heading(page, courseTitle);
}

export interface NewPage {
  title: string;
  markdown?: string;
  image?: { file: FileToUpload; alt: string };
  /** Called in the editor once everything is filled in, before saving (a screenshot, an accessibility check). */
  beforeSave?: (page: Page) => Promise<void>;
}

/** Page editor: uploads an image into block `number` and waits for the upload to finish. */
export async function uploadImage(page: Page, number: number, image: { file: FileToUpload; alt: string }): Promise<void> {
  await page.getByLabel(`Image file of block ${String(number)}`).setInputFiles(image.file);
  await page
    .getByRole('status')
    .filter({ hasText: `Uploaded ${image.file.name}.` })
    .waitFor();
  await page.getByLabel(`Alternative text of block ${String(number)}`).fill(image.alt);
}

/** Unit screen → page editor → saved page → back on the unit screen, the page listed. */
export async function addPage(page: Page, content: NewPage): Promise<void> {
  await page.getByRole('link', { name: 'Add page' }).click();
  await heading(page, 'New page');
  await page.getByLabel('Page title').fill(content.title);
  await page.getByRole('textbox', { name: 'Text of block 1' }).fill(content.markdown ?? `Welcome to ${content.title}.`);
  if (content.image) {
    await page.getByRole('button', { name: 'Add image' }).click();
    await uploadImage(page, 2, content.image);
  }
  await content.beforeSave?.(page);
  await page.getByRole('button', { name: 'Save page' }).click();
  await heading(page, `Edit page: ${content.title}`);
  await page.getByRole('link', { name: new RegExp(`^Back to the ${UNIT}$`) }).click();
  await page.getByRole('list', { name: 'Pages in order' }).getByRole('link', { name: content.title, exact: true }).waitFor();
}

/** Shortcut of addPage for the common case of a page with a markdown block and an image. */
export const addPageWithImage = (
  page: Page,
  title: string,
  image: { file: FileToUpload; alt: string },
  beforeSave?: NewPage['beforeSave'],
) => addPage(page, { title, image, ...(beforeSave ? { beforeSave } : {}) });

export type NewQuestion =
  | { type: 'single'; prompt: string; options: string[]; answer: number; points?: number }
  | { type: 'multiple'; prompt: string; options: string[]; answer: number[]; points?: number }
  | { type: 'trueFalse'; prompt: string; answer: boolean; points?: number }
  | { type: 'number'; prompt: string; answer: number; tolerance?: number; points?: number };

export interface NewQuiz {
  /** After the whole unit, or after its page at this 1-based position. */
  trigger: 'unit' | { pageOrder: number };
  title: string;
  gemReward: number;
  questions: NewQuestion[];
  beforeSave?: (page: Page) => Promise<void>;
}

const TYPE_LABELS: Record<NewQuestion['type'], string> = {
  single: 'One right answer',
  multiple: 'Several right answers',
  trueFalse: 'True or false',
  number: 'A number',
};

async function fillQuestion(page: Page, number: number, question: NewQuestion): Promise<void> {
  const of = `of question ${String(number)}`;
  await page.getByLabel(`Type ${of}`).selectOption({ label: TYPE_LABELS[question.type] });
  await page.getByLabel(`Text ${of}`).fill(question.prompt);
  if (question.points !== undefined) await page.getByLabel(`Points ${of}`).fill(String(question.points));
  switch (question.type) {
    case 'single':
    case 'multiple': {
      for (let index = 2; index < question.options.length; index += 1)
        await page.getByRole('button', { name: `Add an option to question ${String(number)}` }).click();
      for (const [index, option] of question.options.entries())
        await page.getByLabel(`Option ${String(index + 1)} ${of}`, { exact: true }).fill(option);
      const right = typeof question.answer === 'number' ? [question.answer] : question.answer;
      for (const index of right) await page.getByLabel(`option ${String(index + 1)} ${of} is right`).check();
      break;
    }
    case 'trueFalse':
      await page
        .getByRole('radiogroup', { name: `The statement ${of} is` })
        .getByRole('radio', { name: question.answer ? 'True' : 'False' })
        .check();
      break;
    case 'number':
      await page.getByLabel(`Right number ${of}`).fill(String(question.answer));
      if (question.tolerance !== undefined) await page.getByLabel(`Tolerance ${of}`).fill(String(question.tolerance));
      break;
  }
}

/** Unit screen → quiz builder → back on the unit screen with the quiz listed. */
export async function addQuiz(page: Page, quiz: NewQuiz): Promise<void> {
  await page.getByRole('link', { name: 'Add quiz' }).click();
  await heading(page, 'New quiz');
  if (quiz.trigger === 'unit') {
    // Without page quizzes for this user there is no choice to make: the quiz follows the unit.
    const choice = page.getByRole('radio', { name: new RegExp(`^After the whole ${UNIT}$`) });
    if (await choice.isVisible()) await choice.check();
  } else {
    await page.getByRole('radio', { name: 'After a page' }).check();
    await page.getByLabel('Page the quiz follows').selectOption(String(quiz.trigger.pageOrder));
  }
  await page.getByLabel('Quiz title').fill(quiz.title);
  await page.getByLabel('Gem reward').fill(String(quiz.gemReward));
  for (const [index, question] of quiz.questions.entries()) {
    if (index > 0) await page.getByRole('button', { name: 'Add question' }).click();
    await fillQuestion(page, index + 1, question);
  }
  await quiz.beforeSave?.(page);
  await page.getByRole('button', { name: 'Create quiz' }).click();
  await page.getByRole('list', { name: 'Quizzes' }).getByText(quiz.title, { exact: true }).waitFor();
}

/** Course screen: publishes the course; returns once the screen says it is published. */
export async function publish(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByRole('button', { name: 'Unpublish' }).waitFor();
  await page.getByText('Students can see this course.').waitFor();
}
