import type { LocalAccount, Platform } from '@testmancer/local-platform';
import { signToken } from '@testmancer/shared';
import type { Browser, Page, Request } from 'playwright-core';
import { api, newId, uniqueName } from '../../support/api';
import { checkScreen, launchBrowser } from '../../support/browser';
import { ownPlatform } from '../../support/own-platform';

/** Short, so that a session outlives its first access token within the test. */
const ACCESS_TOKEN_SECONDS = 15;

let browser: Browser;
let platform: Platform;
let issuer: string;
let courseTitle: string;
let accounts: Record<'admin' | 'subadmin' | 'student', LocalAccount>;

/** A platform whose interfaces sign people in through the local OpenID provider, with one course in the subadmin's category. */
beforeAll(async () => {
  [browser, platform] = await Promise.all([
    launchBrowser(),
    ownPlatform('provider-sign-in', { web: {}, identity: { accessTokenTtlSeconds: ACCESS_TOKEN_SECONDS } }),
  ]);
  issuer = platform.issuer!;
  const admin = { sub: newId(), role: 'admin' as const, token: '' };
  admin.token = await signToken({ sub: admin.sub, role: 'admin' }, platform.jwtSecret);
  const baseUrl = platform.gatewayUrl;
  const category = await api<{ id: string }>('POST', '/api/categories', { as: admin, baseUrl, body: { name: uniqueName('Category') } });
  courseTitle = uniqueName('Signed-in course');
  const course = await api('POST', '/api/courses', {
    as: admin,
    baseUrl,
    body: { title: courseTitle, categoryId: category.body.id, structure: { unitType: 'unit' } },
  });
  expect([category.status, course.status]).toEqual([201, 201]);
  accounts = {
    admin: { username: 'ada', password: 'correct horse battery', sub: admin.sub, name: 'Ada', role: 'admin' },
    subadmin: {
      username: 'sam',
      password: 'staple paper clip',
      sub: newId(),
      name: 'Sam',
      role: 'subadmin',
      categoryIds: [category.body.id],
    },
    student: { username: 'stu', password: 'tr0ub4dor', sub: newId(), name: 'Stu', role: 'student' },
  };
  await platform.startIdentityProvider(Object.values(accounts));
});
afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

let page: Page;
beforeEach(async () => {
  const context = await browser.newContext();
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
});
afterEach(async () => {
  await page.context().close();
});

const appUrl = (app: 'admin' | 'student') => platform.webUrls![app];

/** From the interface's sign-in screen to the provider's form, which the credentials are typed into. */
async function signInAtProvider(app: 'admin' | 'student', account: Pick<LocalAccount, 'username' | 'password'>): Promise<void> {
  await page.goto(appUrl(app));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${issuer}/interaction/**`);
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signedInAs(role: string): Promise<void> {
  await page.getByText(`Signed in as ${role}`).waitFor();
}

async function signOut(app: 'admin' | 'student', screenshotName?: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign out of Testmancer?' }).waitFor();
  if (screenshotName) await checkScreen(page, screenshotName);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
  expect(page.url().replace(/\/$/, '')).toBe(appUrl(app).replace(/\/$/, ''));
}

/** The tab's access token as oidc-client-ts keeps it, and when it expires (ms). */
async function storedToken(app: 'admin' | 'student'): Promise<{ accessToken: string; expiresAt: number }> {
  // Runs in the page, where sessionStorage is a global (this program has no DOM types).
  const stored = await page.evaluate(
    (key) => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem(key),
    `oidc.user:${issuer}:testmancer-${app}`,
  );
  const user = JSON.parse(stored ?? 'null') as { access_token: string; expires_at: number } | null;
  if (!user) throw new Error('no user is stored in this tab');
  return { accessToken: user.access_token, expiresAt: user.expires_at * 1000 };
}

const isRefresh = (request: Request) => request.url() === `${issuer}/token` && /grant_type=refresh_token/.test(request.postData() ?? '');

describe('signing in through the OpenID provider', () => {
  test('an admin signs in with a password, authors, signs out at the provider, and must sign in again', async () => {
    await signInAtProvider('admin', accounts.admin);
    await signedInAs('admin');
    await page.getByRole('link', { name: courseTitle }).waitFor();
    await checkScreen(page, 'admin-signed-in-through-provider');

    await signOut('admin', 'provider-sign-out');
    await checkScreen(page, 'admin-signed-out');
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Password').waitFor(); // the provider's session ended too: it asks again
  });

  test("a subadmin's categories come from the provider's token: the course of the category is theirs to open", async () => {
    await signInAtProvider('admin', accounts.subadmin);
    await signedInAs('subadmin');
    await page.getByRole('link', { name: courseTitle }).click();
    await page.getByRole('heading', { level: 1, name: courseTitle }).waitFor();
    await signOut('admin');
  });

  test('a student signs in to the student interface and out again', async () => {
    await signInAtProvider('student', accounts.student);
    await signedInAs('student');
    await page.getByRole('heading', { level: 1, name: 'Course catalogue' }).waitFor();
    await signOut('student');
  });

  test('a wrong password is refused in plain words at the provider, and the right one then signs in', async () => {
    await signInAtProvider('admin', { username: accounts.admin.username, password: 'not the password' });
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Wrong username or password.');
    expect(page.url()).toMatch(new RegExp(`^${issuer}/interaction/`));
    await expect(page.getByLabel('Username').inputValue()).resolves.toBe(accounts.admin.username);
    await checkScreen(page, 'provider-sign-in-wrong-password');

    await page.getByLabel('Password').fill(accounts.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await signedInAs('admin');
  });

  test('a student who signs in to the authoring interface is told it is not theirs, and can sign out', async () => {
    await signInAtProvider('admin', accounts.student);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(
      /You are signed in as a student; this interface is for admins and subadmins/,
    );
    await checkScreen(page, 'admin-provider-wrong-role');
    await signOut('admin');
  });

  // Last: it restarts the provider, whose tokens the gateway then learns anew.
  test('an expired access token is renewed silently on the next call; once the provider forgets the session, the page says it ended', async () => {
    const refreshes: Request[] = [];
    const bearers: string[] = [];
    page.on('request', (request) => {
      if (isRefresh(request)) refreshes.push(request);
      const authorization = request.headers().authorization;
      if (request.url().includes('/api/gems/me') && authorization) bearers.push(authorization.replace(/^Bearer /, ''));
    });
    await signInAtProvider('student', accounts.student);
    await signedInAs('student');
    const first = await storedToken('student');

    await page.waitForTimeout(first.expiresAt - Date.now() + 500);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Gems', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Your gems' }).waitFor();
    await page.getByText(/^You have \d+ gems?\.$/).waitFor();
    expect(refreshes).toHaveLength(1);
    expect(bearers.at(-1)).not.toBe(first.accessToken);
    expect(bearers.at(-1)).toBe((await storedToken('student')).accessToken);

    await platform.startIdentityProvider(Object.values(accounts)); // a fresh provider: the tab's refresh token is unknown to it
    const renewed = await storedToken('student');
    await page.waitForTimeout(renewed.expiresAt - Date.now() + 500);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalogue', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Your session has ended. Sign in again.' }).waitFor();
    await checkScreen(page, 'student-session-ended');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Password').waitFor();
  });
});
