import { mkdirSync } from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestUser } from './api';

/** Where the browser tests leave their screenshots (one PNG per main screen). */
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../.local/screenshots');

export function webUrl(app: 'admin' | 'student'): string {
  const url = process.env[app === 'admin' ? 'TEST_ADMIN_WEB_URL' : 'TEST_STUDENT_WEB_URL'];
  if (!url) throw new Error('the web URLs are not set: run through the jest "platform" project');
  return url;
}

/**
 * Debian's Chromium, headless. Without the background-networking flags it
 * tries Google's hosts at every start, and this machine's closed network
 * refuses them.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;

/** A fresh page (its own storage) at `app`'s address (or `url`: another web server of it), signed in as `as` through the sign-in form. */
export interface Viewport {
  width: number;
  height: number;
}

export async function signedIn(
  browser: Browser,
  app: 'admin' | 'student',
  as: TestUser,
  viewport: Viewport = DESKTOP,
  url = webUrl(app),
): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(url);
  await signInWithToken(page, as);
  return page;
}

/** On the sign-in form (a fresh page, or after Sign out): signs in as `as` by pasting their token. */
export async function signInWithToken(page: Page, as: TestUser): Promise<void> {
  await page.getByLabel('Sign-in token').fill(as.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Saves the page as .local/screenshots/<name>.png and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core's WCAG 2 A/AA checks on the page as it is now; the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the pages' CSP (no inline script) does not block, as it would a <script> tag.
  await page.evaluate(axe.source);
  // Runs in the page, where axe-core was just added as a global.
  const violations = await page.evaluate(async () => {
    const { axe } = globalThis as unknown as {
      axe: {
        run(options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }>;
      };
    };
    return (await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
}

/** A main screen: its screenshot saved and its accessibility checked (no serious violation). */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousViolations(page)).toEqual([]);
}
