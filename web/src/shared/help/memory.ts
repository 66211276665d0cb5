export type Interface = 'admin' | 'student';

/**
 * The what's-new notice is about structured courses: a later notice gets a key
 * of its own, so that people who dismissed this one still see it.
 */
const NOTICE = 'structured-courses';

const keyOf = (app: Interface, userId: string) => `testmancer.whats-new.${NOTICE}.${app}.${userId}`;

/**
 * Whether this user dismissed the notice in this interface, remembered in the
 * browser per user id, so that someone else signing in on the same computer
 * still sees it. Storage a browser refuses (some private modes) counts as not
 * dismissed: the notice comes back, which costs a click, never a lost screen.
 */
export function wasDismissed(app: Interface, userId: string): boolean {
  try {
    return localStorage.getItem(keyOf(app, userId)) !== null;
  } catch {
    return false;
  }
}

export function rememberDismissed(app: Interface, userId: string): void {
  try {
    localStorage.setItem(keyOf(app, userId), new Date().toISOString());
  } catch {
    // Not remembered (see wasDismissed): the notice shows again next time.
  }
}
