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
  const answer = (student: (typeof students)[number]) => submit(student, quiz.id, correctAnswers(quiz), { baseUrl });

  // Gems goes down after the 20th answer, while 10 submissions are in flight; the next 50 come while it is down;
  // the last 30 after it is back.
  let answered = 0;
  let outage: Promise<unknown> = Promise.resolve();
  const beforeAndDuringTheStop = await mapLimit(students.slice(0, 30), 10, async (student) => {
    const response = await answer(student);
    answered += 1;
    if (answered === 20) outage = platform.stopProcess('gems');
    return response;
  });
  await outage;
  const whileDown = await mapLimit(students.slice(30, 80), 10, answer);
  await platform.startProcess('gems');
  const restartedAt = Date.now();
  const afterTheRestart = await mapLimit(students.slice(80), 10, answer);
  const responses = [...beforeAndDuringTheStop, ...whileDown, ...afterTheRestart];

  for (const response of responses) {
    expectStatus(response, 201);
    expect(response.body).toMatchObject({ attemptNumber: 1, firstAttempt: true, gemsAwarded: 7 });
  }
  // With gems down, no grant can have landed yet: each of these says its gems are on their way.
  for (const response of whileDown) {
    expect(response.body.gemsStatus).toBe('pending');
    expect(response.body.message).toMatch(/on their way/);
  }
  const pending = responses.filter((r) => r.body.gemsStatus === 'pending');

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
