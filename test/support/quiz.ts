import { randomUUID } from 'node:crypto';
import { api, uniqueName, user, type ApiResponse, type RequestOptions, type TestUser } from './api';
import { must } from './content';

export type Selected = number | number[];
export interface AttemptAnswer {
  questionId: string;
  selected: Selected;
}

/**
 * Three questions, one of each type, maxScore 6:
 * 0 single (2 points, answer 1), 1 multiple (3 points, answer [0, 2]), 2 trueFalse (1 point by default, answer 0).
 */
export const sampleQuestions = () => [
  { type: 'single', prompt: 'Which is prime?', options: ['4', '7', '9'], answer: 1, points: 2 },
  { type: 'multiple', prompt: 'Which are even?', options: ['2', '3', '4', '5'], answer: [0, 2], points: 3 },
  { type: 'trueFalse', prompt: 'The sky is blue.', options: ['True', 'False'], answer: 0 },
];

export interface QuizSpec {
  courseId: string;
  moduleId: string;
  trigger?: 'unit' | 'page';
  pageOrder?: number;
  gemReward?: number;
  questions?: unknown[];
}

export const quizBody = (spec: QuizSpec) => ({
  courseId: spec.courseId,
  trigger: spec.trigger ?? 'unit',
  moduleId: spec.moduleId,
  ...(spec.pageOrder === undefined ? {} : { pageOrder: spec.pageOrder }),
  title: uniqueName('quiz'),
  questions: spec.questions ?? sampleQuestions(),
  gemReward: spec.gemReward ?? 7,
});

/** A quiz made by `as` (an admin by default); answers the author view. */
export async function newQuiz(spec: QuizSpec, as?: TestUser, baseUrl?: string): Promise<any> {
  return must(201, 'POST', '/api/quizzes', { as: as ?? (await user('admin')), body: quizBody(spec), baseUrl });
}

/**
 * A published course with one unit and one unit quiz, made through the gateway at `baseUrl`
 * (a fault test's own platform; test/support/content.ts talks to the shared one).
 */
export async function publishedQuizAt(baseUrl: string, gemReward = 7): Promise<any> {
  const admin = await user('admin');
  const category = await must(201, 'POST', '/api/categories', { as: admin, baseUrl, body: { name: uniqueName('category') } });
  const course = await must(201, 'POST', '/api/courses', {
    as: admin,
    baseUrl,
    body: { title: uniqueName('course'), categoryId: category.id, structure: { unitType: 'unit' } },
  });
  const unit = await must(201, 'POST', `/api/courses/${course.id}/units`, { as: admin, baseUrl, body: { title: uniqueName('unit') } });
  await must(200, 'POST', `/api/courses/${course.id}/publish`, { as: admin, baseUrl });
  return newQuiz({ courseId: course.id, moduleId: unit.id, gemReward }, admin, baseUrl);
}

/** The answers an author view says are right, for every question. */
export const correctAnswers = (quiz: { questions: { id: string; answer: Selected }[] }): AttemptAnswer[] =>
  quiz.questions.map((question) => ({ questionId: question.id, selected: question.answer }));

export function submit(
  as: TestUser,
  quizId: string,
  answers: AttemptAnswer[],
  options: Omit<RequestOptions, 'as' | 'body'> & { key?: string } = {},
): Promise<ApiResponse> {
  const { key, ...rest } = options;
  return api('POST', `/api/quizzes/${quizId}/attempts`, {
    ...rest,
    as,
    body: { answers },
    headers: { ...rest.headers, ...(key ? { 'idempotency-key': key } : {}) },
  });
}

export const newKey = () => randomUUID();

/**
 * A submission as a careful client makes it: with an Idempotency-Key, retried with the same key
 * while the gateway answers 503 (a service down or too slow: the attempt may or may not be
 * recorded) or the connection fails. Retries wait `retryDelayMs`, not the advertised Retry-After,
 * to keep tests short.
 */
export async function submitUntilAnswered(
  as: TestUser,
  quizId: string,
  answers: AttemptAnswer[],
  options: { baseUrl?: string; key?: string; timeoutMs?: number; retryDelayMs?: number } = {},
): Promise<{ response: ApiResponse; tries: number; key: string }> {
  const key = options.key ?? newKey();
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (let tries = 1; ; tries++) {
    const response = await submit(as, quizId, answers, { key, baseUrl: options.baseUrl }).catch(() => undefined);
    if (response && response.status !== 503) return { response, tries, key };
    if (Date.now() > deadline) throw new Error(`no answer but 503 for ${tries} tries of key ${key}`);
    await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 200));
  }
}

/** Every path in a JSON value whose key could carry a grading key. */
export function answerKeyPaths(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => answerKeyPaths(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(/^(answers?|correct\w*|isCorrect|solutions?)$/i.test(key) ? [`${path}.${key}`] : []),
    ...answerKeyPaths(inner, `${path}.${key}`),
  ]);
}

/** Every object in a JSON value that looks like a question (has a `prompt`). */
export function questionObjects(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap(questionObjects);
  if (value === null || typeof value !== 'object') return [];
  const own = 'prompt' in value ? [value as Record<string, unknown>] : [];
  return [...own, ...Object.values(value).flatMap(questionObjects)];
}

/** A response a student got: no key that could carry an answer, and every question exactly the student view. */
export function expectNoAnswers(body: unknown): void {
  expect(answerKeyPaths(body)).toEqual([]);
  for (const question of questionObjects(body)) expect(Object.keys(question).sort()).toEqual(['id', 'options', 'points', 'prompt', 'type']);
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export interface Balance {
  earnedGems: number;
  history: { source: string; amount: number }[];
}

/** A user's balance as an admin reads it; a fresh admin per call, so polling never meets the per-user rate limit. */
export async function balanceOf(userId: string, baseUrl?: string): Promise<Balance> {
  return must(200, 'GET', `/api/users/${userId}/gems`, { as: await user('admin'), baseUrl });
}

/**
 * Waits until every user's balance is what `expected` says (grants may still be on their way),
 * re-reading only the users not there yet, 10 at a time: each read costs the gems service a
 * ledger scan on the local database, and polling everyone would slow what it waits for.
 * Answers the balances; fails after `timeoutMs` naming how many are still off.
 */
export async function awaitBalances(
  userIds: readonly string[],
  expected: (userId: string) => number,
  options: { baseUrl?: string; timeoutMs?: number } = {},
): Promise<Map<string, Balance>> {
  const balances = new Map<string, Balance>();
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let remaining = [...userIds];
  for (;;) {
    const read = await mapLimit(remaining, 10, async (userId) => [userId, await balanceOf(userId, options.baseUrl)] as const);
    for (const [userId, balance] of read) balances.set(userId, balance);
    remaining = remaining.filter((userId) => balances.get(userId)!.earnedGems !== expected(userId));
    if (remaining.length === 0) return balances;
    if (Date.now() > deadline)
      throw new Error(
        `${remaining.length} balances still differ after ${options.timeoutMs ?? 30_000} ms, e.g. ${remaining[0]}: ${JSON.stringify(balances.get(remaining[0]!))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Grants in a balance's history that came from this quiz. */
export const grantsFor = (balance: { history: { source: string }[] }, quizId: string) =>
  balance.history.filter((grant) => grant.source === `quiz:${quizId}`);
