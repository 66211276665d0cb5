/**
 * The what's-new notice and the Help menu. Someone for whom structured courses
 * are on (by the flag, or by the rollout percentage: the gateway decides per
 * user) sees the notice at the top of the interface until they dismiss it; the
 * dismissal is remembered per user, and the Help menu brings the notice back.
 * Its words are the guides' (docs/guides/whats-new/).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { api, user, type TestUser } from '../../support/api';
import { checkScreen, DESKTOP, launchBrowser, PHONE, signedIn, signInWithToken } from '../../support/browser';
import { heading } from '../../support/browser-admin';
import { GUIDES_DIR } from '../../support/guides';
import { interfaceWith, type FlaggedInterface } from '../../support/web-interface';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const notice = (page: Page) => page.getByRole('region', { name: /^What’s new/ });
const helpMenu = (page: Page) => page.getByRole('list', { name: 'Help' });

/** The notice's first paragraph as the guides write it, Markdown emphasis taken out, in the default terms (units). */
function firstParagraphOf(app: 'admin' | 'student'): string {
  const text = readFileSync(path.join(GUIDES_DIR, 'whats-new', `${app}.md`), 'utf8');
  return text
    .split('\n\n')[1]!
    .replace(/\*\*/g, '')
    .replace(/\{(units?)\}/g, '$1')
    .trim();
}

/** The screen a signed-in user lands on, loaded, so that a notice that were to show would be there. */
async function landed(page: Page, app: 'admin' | 'student'): Promise<void> {
  await heading(page, app === 'admin' ? 'Courses' : 'Course catalogue');
  await page.getByRole('button', { name: 'Help' }).waitFor();
}

async function openHelp(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Help' }).click();
  await helpMenu(page).waitFor();
}

async function signOutAndIn(page: Page, as: TestUser): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInWithToken(page, as);
}

describe.each(['student', 'admin'] as const)('the %s interface', (app) => {
  test('shows the notice in the guides’ words once: dismissed, it stays gone after a reload, and the Help menu (folded by Escape or a click elsewhere) brings it back', async () => {
    const page = await signedIn(browser, app, await user(app));
    await landed(page, app);
    await notice(page).getByText(firstParagraphOf(app)).waitFor();
    await checkScreen(page, `${app}-whats-new`);

    await page.getByRole('button', { name: 'Dismiss what’s new' }).click();
    await expect(notice(page).count()).resolves.toBe(0);
    await page.reload();
    await landed(page, app);
    await expect(notice(page).count()).resolves.toBe(0);

    await openHelp(page);
    await checkScreen(page, `${app}-help-menu`);
    await page.keyboard.press('Escape');
    await expect(helpMenu(page).count()).resolves.toBe(0);
    await openHelp(page);
    await page.getByRole('heading', { level: 1 }).click();
    await expect(helpMenu(page).count()).resolves.toBe(0);
    await openHelp(page);
    await helpMenu(page).getByRole('button', { name: 'What’s new' }).click();
    await notice(page).waitFor();
    await expect(helpMenu(page).count()).resolves.toBe(0);
    await page.context().close();
  });

  test('remembers the dismissal per user: another person signing in on the same browser still sees it', async () => {
    const page = await signedIn(browser, app, await user(app));
    await landed(page, app);
    await page.getByRole('button', { name: 'Dismiss what’s new' }).click();
    await expect(notice(page).count()).resolves.toBe(0);

    await signOutAndIn(page, await user(app));
    await landed(page, app);
    await notice(page).waitFor();
    await page.context().close();
  });

  test('the Help menu opens the guide, its pictures served with the interface, on a phone too', async () => {
    const page = await signedIn(browser, app, await user(app), PHONE);
    await landed(page, app);
    await page.getByRole('button', { name: 'Dismiss what’s new' }).click();
    await openHelp(page);
    await helpMenu(page)
      .getByRole('link', { name: app === 'admin' ? 'Admin guide' : 'Student guide' })
      .click();
    await heading(page, app === 'admin' ? 'Admin guide' : 'Student guide');
    const sources = await page
      .locator('main img')
      .evaluateAll((images) => images.map((image) => (image as unknown as { src: string }).src));
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) {
      const response = await page.request.get(source);
      expect([source, response.status(), response.headers()['content-type']]).toEqual([source, 200, 'image/png']);
    }
    await checkScreen(page, `${app}-guide-phone`);
    await page.context().close();
  });
});

describe('a partial rollout (STRUCTURED_COURSES_ENABLED=50%)', () => {
  let rollout: FlaggedInterface;

  beforeAll(async () => {
    rollout = await interfaceWith('student', 'whats-new-rollout', { STRUCTURED_COURSES_ENABLED: '50%' });
  });
  afterAll(async () => {
    await rollout?.stop();
  });

  /** A new student inside (or outside) the rollout, as the gateway decides for their id. */
  async function studentWhoseRolloutIs(inside: boolean): Promise<TestUser> {
    for (let tries = 0; tries < 64; tries += 1) {
      const student = await user('student');
      const flags = await api('GET', '/api/flags', { as: student, baseUrl: rollout.gatewayUrl });
      if (flags.body.STRUCTURED_COURSES_ENABLED === inside) return student;
    }
    throw new Error(`no student ${inside ? 'inside' : 'outside'} a 50% rollout in 64 tries`);
  }

  test('only a student inside it sees the notice, and Help offers "What’s new" only to them', async () => {
    const inside = await signedIn(browser, 'student', await studentWhoseRolloutIs(true), DESKTOP, rollout.url);
    await landed(inside, 'student');
    await notice(inside).waitFor();
    await inside.context().close();

    const outside = await signedIn(browser, 'student', await studentWhoseRolloutIs(false), DESKTOP, rollout.url);
    await landed(outside, 'student');
    await outside
      .getByRole('list', { name: 'Courses' })
      .or(outside.getByText(/^No course is published yet/))
      .first()
      .waitFor();
    await expect(notice(outside).count()).resolves.toBe(0);
    await openHelp(outside);
    await expect(helpMenu(outside).getByRole('button', { name: 'What’s new' }).count()).resolves.toBe(0);
    await helpMenu(outside).getByRole('link', { name: 'Student guide' }).waitFor();
    await checkScreen(outside, 'student-outside-rollout');
    await outside.context().close();
  });
});
