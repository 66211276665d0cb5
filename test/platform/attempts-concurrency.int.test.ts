import { user } from '../support/api';
import { expectStatus, must, newCourseTree } from '../support/content';
import type { Platform } from '@testmancer/local-platform';
import { eventually, ownPlatform } from '../support/own-platform';
import {
  awaitBalances,
  correctAnswers,
  grantsFor,
  mapLimit,
  newQuiz,
  percentile,
  submit,
  submitUntilAnswered,
  type AttemptAnswer,
} from '../support/quiz';

// Figures are printed, not asserted: this machine's speed is not the contract.
// Submissions go as a careful client sends them (an Idempotency-Key each, retried on 503): a 503 means
// the gateway gave up waiting (its gRPC deadline), not that nothing was recorded, so only a retry with
// the same key tells the outcome. How many needed a retry is printed.
const retried = (results: { tries: number }[]) => results.filter((r) => r.tries > 1).length;
const report = (figures: Record<string, unknown>) => console.log(JSON.stringify(figures));

/** A wrong answer: one option too many for multiple choice, the next option otherwise. */
const wrongAnswer = (question: any) =>
  question.type === 'multiple'
    ? [...question.answer, question.options.findIndex((_: string, i: number) => !question.answer.includes(i))]
    : (question.answer + 1) % question.options.length;

/** A random mix of right, wrong and left-out answers to the sample quiz, and the score it must get. */
function randomAttempt(quiz: any): { answers: AttemptAnswer[]; score: number } {
  const answers: AttemptAnswer[] = [];
  let score = 0;
  for (const question of quiz.questions) {
    const roll = Math.random();
    if (roll < 0.2) continue;
    const right = roll < 0.6;
    answers.push({ questionId: question.id, selected: right ? question.answer : wrongAnswer(question) });
    if (right) score += question.points;
  }
  return { answers, score };
}

async function publishedQuiz(gemReward = 7) {
  const tree = await newCourseTree({ units: 1, pages: 0, published: true });
  return newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]!, gemReward });
}

// A platform of its own: these runs leave thousands of attempts and owed grants
// behind, which would slow every later test of the shared instance.
let platform: Platform;
let sharedGatewayUrl: string | undefined;
beforeAll(async () => {
  platform = await ownPlatform('attempts-concurrency', { env: { RATE_LIMIT_USER_MAX: '1000000' } });
  sharedGatewayUrl = process.env.TEST_GATEWAY_URL;
  process.env.TEST_GATEWAY_URL = platform.gatewayUrl; // read by every api() call of this file
});
afterAll(async () => {
  process.env.TEST_GATEWAY_URL = sharedGatewayUrl;
  await platform?.stop();
});

describe('submissions under concurrency', () => {
  // First, before the runs below have grown the collections.
  test('submission latency at 50 concurrent students (printed, not asserted)', async () => {
    const quiz = await publishedQuiz();
    const students = await Promise.all(Array.from({ length: 50 }, () => user('student')));
    const first: number[] = [];
    const later: number[] = [];
    let unavailable = 0;
    const started = Date.now();
    await Promise.all(
      students.map(async (student) => {
        for (let i = 0; i < 10; i++) {
          const t0 = performance.now();
          const response = await submit(student, quiz.id, randomAttempt(quiz).answers);
          (i === 0 ? first : later).push(performance.now() - t0);
          // A 503 is the gateway's deadline running out: counted as part of the figure, not a failure.
          if (response.status === 503) unavailable++;
          else expectStatus(response, 201);
        }
      }),
    );
    const all = [...first, ...later];
    const ms = (value: number) => Math.round(value);
    report({
      figure: 'submission latency, 50 concurrent students × 10 sequential submissions',
      requests: all.length,
      unavailable,
      elapsedMs: Date.now() - started,
      p50: ms(percentile(all, 50)),
      p95: ms(percentile(all, 95)),
      p99: ms(percentile(all, 99)),
      max: ms(Math.max(...all)),
      firstAttemptP95: ms(percentile(first, 95)),
      laterAttemptP95: ms(percentile(later, 95)),
    });
  }, 300_000);

  test("200 concurrent submissions of one user's first attempt: one first attempt, numbers 1..200, one grant", async () => {
    const quiz = await publishedQuiz();
    const student = await user('student');
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 200 }, () => submitUntilAnswered(student, quiz.id, correctAnswers(quiz))));
    const elapsedMs = Date.now() - started;
    const responses = results.map((r) => r.response);
    for (const response of responses) expectStatus(response, 201);
    const firsts = responses.filter((r) => r.body.firstAttempt);
    expect(firsts).toHaveLength(1);
    expect(firsts[0]!.body).toMatchObject({ attemptNumber: 1, gemsAwarded: 7, score: 6 });
    expect(responses.filter((r) => !r.body.firstAttempt).every((r) => r.body.gemsAwarded === 0 && r.body.gemsStatus === 'none')).toBe(true);
    expect(responses.map((r) => r.body.attemptNumber).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));

    const page1 = await must(200, 'GET', `/api/quizzes/${quiz.id}/attempts?limit=100`, { as: student });
    const page2 = await must(200, 'GET', `/api/quizzes/${quiz.id}/attempts?limit=100&cursor=${encodeURIComponent(page1.nextCursor)}`, {
      as: student,
    });
    expect([...page1.items, ...page2.items].map((a: any) => a.attemptNumber)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const balance = await eventually(
      () => must(200, 'GET', '/api/gems/me', { as: student }),
      (b) => b.earnedGems === 7,
      10_000,
    );
    expect(grantsFor(balance.value, quiz.id)).toEqual([expect.objectContaining({ amount: 7 })]);
    report({
      figure: 'one user, 200 concurrent submissions',
      elapsedMs,
      retried: retried(results),
      gemsStatus: firsts[0]!.body.gemsStatus,
    });
  });

  test("1,000 users × 3 attempts, 50 in flight: every balance equals that user's first-attempt award", async () => {
    const quiz = await publishedQuiz();
    const students = await Promise.all(Array.from({ length: 1_000 }, () => user('student')));
    // Each user's three attempts are spread through the run, so they may overlap one another.
    const jobs = [0, 1, 2].flatMap(() => students.map((student) => ({ student, ...randomAttempt(quiz) })));
    const started = Date.now();
    const results = await mapLimit(jobs, 50, async (job) => ({ job, ...(await submitUntilAnswered(job.student, quiz.id, job.answers)) }));
    const submitMs = Date.now() - started;

    const byUser = new Map<string, typeof results>();
    for (const result of results) {
      expectStatus(result.response, 201);
      expect(result.response.body.score).toBe(result.job.score);
      byUser.set(result.job.student.sub, [...(byUser.get(result.job.student.sub) ?? []), result]);
    }
    const awarded = new Map<string, number>();
    for (const [userId, attempts] of byUser) {
      expect(attempts.map((a) => a.response.body.attemptNumber).sort()).toEqual([1, 2, 3]);
      const first = attempts.filter((a) => a.response.body.firstAttempt);
      expect(first).toHaveLength(1);
      expect(first[0]!.response.body.gemsAwarded).toBe(Math.floor((7 * first[0]!.response.body.score) / 6));
      awarded.set(userId, first[0]!.response.body.gemsAwarded);
    }
    const pending = results.filter((r) => r.response.body.gemsStatus === 'pending').length;

    const checkStarted = Date.now();
    const balances = [...(await awaitBalances([...awarded.keys()], (userId) => awarded.get(userId)!, { timeoutMs: 120_000 })).entries()];
    const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
    expect(sum(balances.map(([, balance]) => balance.earnedGems))).toBe(sum(awarded.values()));
    for (const [userId, balance] of balances) expect(grantsFor(balance, quiz.id)).toHaveLength(awarded.get(userId)! > 0 ? 1 : 0);
    report({
      figure: '1,000 users × 3 attempts, 50 in flight',
      submissions: results.length,
      submitMs,
      retried: retried(results),
      perSecond: Math.round((results.length / submitMs) * 1000),
      pendingAtSubmit: pending,
      balanceCheckMs: Date.now() - checkStarted,
      gemsAwarded: sum(awarded.values()),
    });
  }, 600_000);
});
