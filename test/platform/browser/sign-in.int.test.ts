import type { Browser } from 'playwright-core';
import { user } from '../../support/api';
import { checkScreen, launchBrowser, PHONE, webUrl } from '../../support/browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

describe('signing in', () => {
  test.each(['admin', 'student'] as const)('the %s interface asks for a token and refuses a bad one in plain words', async (app) => {
    const page = await browser.newPage({ viewport: PHONE });
    await page.goto(webUrl(app));
    await checkScreen(page, `${app}-sign-in`);
    await page.getByLabel('Sign-in token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/not a sign-in token/);
    await page.close();
  });

  test('a token of the wrong role is refused: students cannot open the authoring interface', async () => {
    const student = await user('student');
    const page = await browser.newPage();
    await page.goto(webUrl('admin'));
    await page.getByLabel('Sign-in token').fill(student.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/this interface is for admins and subadmins/);
    await page.close();
  });

  test('an expired or forged token is refused by the gateway, and the page says so', async () => {
    const admin = await user('admin');
    const forged = `${admin.token.slice(0, -4)}AAAA`;
    const page = await browser.newPage();
    await page.goto(webUrl('admin'));
    await page.getByLabel('Sign-in token').fill(forged);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/missing, expired or not valid/);
    await page.close();
  });
});
