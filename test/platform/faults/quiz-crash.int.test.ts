import type { Platform } from '@testmancer/local-platform';
import { api, user } from '../../support/api';
import { must } from '../../support/content';
import { eventually, ownPlatform } from '../../support/own-platform';
import {
  awaitBalances,
  correctAnswers,
  grantsFor,
  mapLimit,
  newKey,
  publishedQuizAt,
  submit,
  submitUntilAnswered,
} from '../../support/quiz';

let platform: Platform;
beforeAll(async () => {
  platform = await ownPlatform('quiz-crash');
});
afterAll(async () => {
  await platform?.stop();
});

test('the quiz service killed (SIGKILL) mid-run: no acknowledged attempt is lost, retries record nothing twice, gems land once', async () => {
  const baseUrl = platform.gatewayUrl;
  const quiz = await publishedQuizAt(baseUrl);
  const students = await Promise.all(Array.from({ length: 150 }, () => user('student')));
  const attemptsOf = async (student: (typeof students)[number]) =>
    (await must(200, 'GET', `/api/quizzes/${quiz.id}/attempts`, { as: student, baseUrl })).items as {
      id: string;
      attemptNumber: number;
      gemsAwarded: number;
    }[];

  // SIGKILL after the 40th answer, with 20 submissions in flight; started again right away.
  let answered = 0;
  let crash: Promise<unknown> = Promise.resolve();
  const first = await mapLimit(students, 20, async (student) => {
    const key = newKey();
    const response = await submit(student, quiz.id, correctAnswers(quiz), { key, baseUrl }).catch(() => undefined);
    answered += 1;
    if (answered === 40) crash = platform.stopProcess('quiz', 'SIGKILL').then(() => platform.startProcess('quiz'));
    return { student, key, status: response?.status, body: response?.body };
  });
  await crash;

  const acknowledged = first.filter((r) => r.status === 201);
  const unanswered = first.filter((r) => r.status !== 201);
  // A failure is a 503 (never a 500 or a dropped connection at the gateway), and there were some.
  expect(unanswered.map((r) => r.status).filter((status) => status !== 503)).toEqual([]);
  expect(unanswered.length).toBeGreaterThan(0);

  // Every acknowledged attempt is stored (read once the restarted service answers).
  await eventually(
    () => api('GET', `/api/quizzes/${quiz.id}/attempts`, { as: students[0], baseUrl }),
    (r) => r.status === 200,
    20_000,
  );
  for (const { student, body } of acknowledged)
    expect(await attemptsOf(student)).toEqual([expect.objectContaining({ id: body.id, attemptNumber: 1 })]);

  // A 503 leaves the outcome unknown: some were recorded before the crash. A retry with the same key answers that attempt.
  const recordedAnyway = new Map<string, string>();
  for (const { student } of unanswered) {
    const stored = await attemptsOf(student);
    if (stored[0]) recordedAnyway.set(student.sub, stored[0].id);
  }
  const retried = await mapLimit(unanswered, 20, async ({ student, key }) => {
    const response = await submitUntilAnswered(student, quiz.id, correctAnswers(quiz), { baseUrl, key });
    return { student, response: response.response };
  });
  for (const { student, response } of retried) {
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ attemptNumber: 1, firstAttempt: true, gemsAwarded: 7 });
    if (recordedAnyway.has(student.sub)) expect(response.body.id).toBe(recordedAnyway.get(student.sub));
  }
  // One attempt per student, whatever the crash and the retries.
  const lists = await mapLimit(students, 20, attemptsOf);
  expect(lists.filter((items) => items.length !== 1)).toEqual([]);

  const checkStarted = Date.now();
  const balances = await awaitBalances(
    students.map((student) => student.sub),
    () => 7,
    { baseUrl, timeoutMs: 30_000 },
  );
  for (const balance of balances.values()) expect(grantsFor(balance, quiz.id)).toHaveLength(1);
  console.log(
    JSON.stringify({
      figure: 'quiz service SIGKILL during 150 submissions',
      acknowledged: acknowledged.length,
      unavailable: unanswered.length,
      recordedThoughUnacknowledged: recordedAnyway.size,
      balancesRightAfterMs: Date.now() - checkStarted,
    }),
  );
});
