import { createHash, timingSafeEqual } from 'node:crypto';
import { canonicalIdText } from '@testmancer/shared';
import { z } from 'zod';

// Ids as the platform stores them, the same rule its services check.
const objectId = canonicalIdText();

/** A person who can sign in here, and what their tokens say about them. */
export const accountSchema = z.object({
  username: z.string().min(1),
  password: z.string().min(1),
  /** The user id the platform knows them by (`sub`). */
  sub: objectId,
  name: z.string().min(1),
  role: z.enum(['admin', 'subadmin', 'student']),
  /** A subadmin's categories (`scopes.categoryIds`). */
  categoryIds: z.array(objectId).default([]),
});

export type Account = z.infer<typeof accountSchema>;

const digest = (text: string) => createHash('sha256').update(text).digest();

export class Accounts {
  private readonly byUsername: Map<string, Account>;
  private readonly bySub: Map<string, Account>;

  constructor(accounts: Account[]) {
    this.byUsername = new Map(accounts.map((account) => [account.username.toLowerCase(), account]));
    this.bySub = new Map(accounts.map((account) => [account.sub, account]));
  }

  /** The account these credentials open, compared in constant time so that a wrong guess tells nothing by its timing. */
  signIn(username: string, password: string): Account | undefined {
    const account = this.byUsername.get(username.trim().toLowerCase());
    const matches = timingSafeEqual(digest(password), digest(account?.password ?? `\0${password}`));
    return account && matches ? account : undefined;
  }

  find(sub: string): Account | undefined {
    return this.bySub.get(sub);
  }
}
