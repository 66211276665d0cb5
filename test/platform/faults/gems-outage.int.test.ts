import type { Platform } from '@testmancer/local-platform';
import { user } from '../../support/api';
import { expectStatus, must } from '../../support/content';
import { eventually, ownPlatform } from '../../support/own-platform';
import { awaitBalances, correctAnswers, grantsFor, mapLimit, publishedQuizAt, submit } from '../../support/quiz';

let platform: Platform;
beforeAll(async () => {
  platform = await ownPlatform('gems-outage');
});
afterAll(async () => {
  await platform?.stop();
});

test('gems stopped during 100 submissions and started again: every submission is a 201, every grant lands exactly once', async () => {
  const baseUrl = platform.gatewayUrl;
  const quiz = await publishedQuizAt(baseUrl);
  const students = await Promise.all(Array.from({ length: 100 }, () => user('student')));

  // Gems goes down after the 20th answer and comes back after the 70th, while 10 submissions are in flight.
  let answered = 0;
  let outage: Promise<unknown> = Promise.resolve();
  let restart: Promise<unknown> = Promise.resolve();
  let restartedAt = 0;
  const responses = await mapLimit(students, 10, async (student) => {
    const response = await submit(student, quiz.id, correctAnswers(quiz), { baseUrl });
    answered += 1;
    if (answered === 20) outage = platform.stopProcess('gems');
    if (answered === 70) {
      restart = outage.then(() => platform.startProcess('gems')).then(() => (restartedAt = Date.now()));
    }
    return response;
  });
  await restart;

  for (const response of responses) {
    expectStatus(response, 201);
    expect(response.body).toMatchObject({ attemptNumber: 1, firstAttempt: true, gemsAwarded: 7 });
  }
  const pending = responses.filter((r) => r.body.gemsStatus === 'pending');
  expect(pending.length).toBeGreaterThan(0);
  for (const response of pending) expect(response.body.message).toMatch(/on their way/);

  // Every grant is delivered, once: balance 7 and one ledger entry for the quiz, for everyone.
  const balances = await awaitBalances(
    students.map((student) => student.sub),
    () => 7,
    { baseUrl, timeoutMs: 30_000 },
  );
  const balancesRightAfterMs = Date.now() - restartedAt;
  for (const balance of balances.values()) expect(grantsFor(balance, quiz.id)).toHaveLength(1);
  // And the attempts say so.
  await eventually(
    () =>
      mapLimit(
        students,
        20,
        async (student) => (await must(200, 'GET', `/api/quizzes/${quiz.id}/attempts`, { as: student, baseUrl })).items,
      ),
    (lists) => lists.every((items) => items.length === 1 && items[0].gemsStatus === 'granted'),
    30_000,
  );
  console.log(
    JSON.stringify({
      figure: 'gems outage during 100 submissions',
      pendingAtSubmit: pending.length,
      balancesRightAfterMs,
      attemptsGrantedAfterMs: Date.now() - restartedAt,
    }),
  );
});
