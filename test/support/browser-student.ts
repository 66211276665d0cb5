/**
 * Steps of a student in the student interface, driven as a person would: by roles, labels and
 * the words on the screen. Each step waits until the screen it leads to is shown, so a journey
 * test reads as the list of what the student does and sees.
 */
import type { Browser, Page } from 'playwright-core';
import type { TestUser } from './api';
import { signedIn, type Viewport } from './browser';

/** What a screen of the course walk is, from what it shows: a quiz has answers to submit, the end says so. */
export interface Screen {
  kind: 'page' | 'quiz' | 'end';
  /** The screen's h1. */
  title: string;
}

export interface QuizResultView {
  score: number;
  maxScore: number;
  passed: boolean;
  /** The sentence under "Gems", as shown. */
  gemsMessage: string;
  /** The gems it says were earned (or are on their way); 0 when none. */
  gemsEarned: number;
}

/** An answer per question prompt: an option's label (one answer), the labels to tick (several), or a number. */
export type QuizAnswers = Record<string, string | string[] | number>;

const h1 = (page: Page) => page.locator('main h1');

/** A fresh page of the student interface (or of another web server of it, at `url`), signed in through the form. */
export const signedInStudent = (browser: Browser, student: TestUser, viewport: Viewport, url?: string): Promise<Page> =>
  signedIn(browser, 'student', student, viewport, url);

/** Resizes the window and waits for the layout's transitions (the navigation folding away) to end. */
export async function resizeTo(page: Page, viewport: Viewport): Promise<void> {
  await page.setViewportSize(viewport);
  // getAnimations() flushes styles first, so the transitions the resize starts are among them.
  await page
    .locator('body')
    .evaluate((body) =>
      Promise.all(
        (body as unknown as { getAnimations(options: object): { finished: Promise<unknown> }[] })
          .getAnimations({ subtree: true })
          .map((animation) => animation.finished),
      ),
    );
}

const exactly = (text: string) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/** The h1 of the screen, once it has loaded (a loading screen says so in a status and has no h1). */
export async function screenTitle(page: Page): Promise<string> {
  await h1(page).waitFor();
  await page.locator('main [role="status"]').waitFor({ state: 'detached' });
  return ((await h1(page).textContent()) ?? '').trim();
}

/** Waits for a screen other than the one titled `before`, fully loaded. */
export async function nextScreenAfter(page: Page, before: string): Promise<string> {
  await h1(page)
    .filter({ hasNotText: exactly(before) })
    .waitFor();
  return screenTitle(page);
}

export async function currentScreen(page: Page): Promise<Screen> {
  const title = await screenTitle(page);
  if (await page.getByRole('button', { name: 'Submit answers' }).isVisible()) return { kind: 'quiz', title };
  if (title.startsWith('End of ')) return { kind: 'end', title };
  return { kind: 'page', title };
}

/** A link of the main navigation; on a phone it is behind the menu button first. */
export async function navigateTo(page: Page, label: 'Catalogue' | 'Gems'): Promise<void> {
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
}

/** The catalogue screen; answers the titles of the courses it lists (the first page of them). */
export async function openCatalogue(page: Page): Promise<string[]> {
  await navigateTo(page, 'Catalogue');
  await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
  await screenTitle(page);
  return (await page.getByRole('list', { name: 'Courses' }).getByRole('heading').allTextContents()).map((title) => title.trim());
}

/** Through the catalogue, the course titled `title` (asking for more courses until it is listed); waits for its outline or legacy view. */
export async function openCourse(page: Page, title: string): Promise<void> {
  await openCatalogue(page);
  const link = page.getByRole('list', { name: 'Courses' }).getByRole('link', { name: title, exact: true });
  const more = page.getByRole('button', { name: 'Show more courses' });
  while (!(await link.isVisible())) {
    if (!(await more.isVisible())) throw new Error(`the catalogue does not list "${title}"`);
    const items = page.getByRole('list', { name: 'Courses' }).getByRole('listitem');
    const shown = await items.count();
    await more.click();
    await items.nth(shown).or(page.getByRole('alert')).first().waitFor();
  }
  await link.click();
  await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
  // The outline loads after the course's title (the legacy view has no outline to wait for).
  await screenTitle(page);
}

const startButton = (page: Page) => page.getByRole('button', { name: /^(Start|Continue)$/ });

/** The outline's progress: the percentage it shows. */
export async function readProgress(page: Page): Promise<number> {
  const text = await page
    .getByRole('region', { name: 'Your progress' })
    .getByText(/^\d+% complete$/)
    .textContent();
  return Number(/^(\d+)%/.exec(text ?? '')?.[1]);
}

/** The outline's Start (or Continue) button; answers the screen it leads to. */
export async function startCourse(page: Page): Promise<Screen> {
  const before = await screenTitle(page);
  await startButton(page).click();
  await nextScreenAfter(page, before);
  return currentScreen(page);
}

/** The Next button of a page or of a quiz's result; answers the screen it leads to. */
export async function pressNext(page: Page): Promise<Screen> {
  const before = await screenTitle(page);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await nextScreenAfter(page, before);
  return currentScreen(page);
}

/** Fills the quiz form: each question found by its prompt (the legend of its group, or the label of its input). */
export async function answerQuiz(page: Page, answers: QuizAnswers): Promise<void> {
  for (const [prompt, answer] of Object.entries(answers)) {
    if (typeof answer === 'number') {
      await page.getByLabel(prompt, { exact: true }).fill(String(answer));
      continue;
    }
    const group = page.getByRole('group', { name: prompt, exact: true });
    if (typeof answer === 'string') {
      await group.getByRole('radio', { name: answer, exact: true }).check();
      continue;
    }
    // Every option is set, so that a retake's answers do not depend on the previous form's.
    for (const label of await group.locator('label').allTextContents())
      await group.getByRole('checkbox', { name: label.trim(), exact: true }).setChecked(answer.includes(label.trim()));
  }
}

/** Submits the quiz form; answers the result it shows. */
export async function submitQuiz(page: Page): Promise<QuizResultView> {
  const before = await screenTitle(page);
  await page.getByRole('button', { name: 'Submit answers' }).click();
  await nextScreenAfter(page, before);
  return readQuizResult(page);
}

export async function readQuizResult(page: Page): Promise<QuizResultView> {
  const scoreText =
    (await page
      .getByRole('region', { name: 'Score' })
      .getByText(/^You scored \d+ of \d+\.$/)
      .textContent()) ?? '';
  const [, score, maxScore] = /You scored (\d+) of (\d+)/.exec(scoreText) ?? [];
  const passed = await page.getByRole('region', { name: 'Score' }).getByText('You passed.').isVisible();
  const gemsMessage = ((await page.getByRole('region', { name: 'Gems' }).locator('p').textContent()) ?? '').trim();
  const earned = /(?:You earned|^)\s*(\d+) gems?\b/.exec(gemsMessage);
  return { score: Number(score), maxScore: Number(maxScore), passed, gemsMessage, gemsEarned: earned ? Number(earned[1]) : 0 };
}

/** From a quiz's result, the same quiz again with an empty form. */
export async function retakeQuiz(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('button', { name: 'Submit answers' }).waitFor();
}

/** The gems screen, through the navigation; answers the balance it shows. */
export async function openGems(page: Page): Promise<number> {
  await navigateTo(page, 'Gems');
  await page.getByRole('heading', { level: 1, name: 'Your gems' }).waitFor();
  return readGemBalance(page);
}

/** The balance the gems screen shows. */
export async function readGemBalance(page: Page): Promise<number> {
  const text = await page
    .getByRole('region', { name: 'Balance' })
    .getByText(/^You have \d+ gems?\.$/)
    .textContent();
  return Number(/(\d+)/.exec(text ?? '')?.[1]);
}

/** The amounts of the gems screen's history, newest first. */
export async function readGemHistory(page: Page): Promise<number[]> {
  const rows = page.getByRole('region', { name: 'History' }).getByRole('row');
  const cells = await rows.evaluateAll((all) => all.slice(1).map((row) => row.querySelectorAll('td')[2]?.textContent ?? ''));
  return cells.map(Number);
}
