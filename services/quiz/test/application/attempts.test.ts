import { CompareAndSet, createLogger, createMetrics, DomainError, type Caller } from '@testmancer/shared';
import { AttemptUseCases } from '../../src/application/attempts';
import { GrantDelivery, GrantDispatcher } from '../../src/application/grants';
import { Submissions } from '../../src/application/submissions';
import { createQuiz, type CourseOutline } from '../../src/domain';
import { createQuizMetrics } from '../../src/metrics';
import { CATEGORY, courseWith, idSequence, multiple, newQuiz, NOW, oid, single } from '../domain/helpers';
import { MemoryAttemptStore } from '../fakes/memory-attempts';
import { MemoryCourseDirectory } from '../fakes/memory-courses';
import { MemoryGemsLedger } from '../fakes/memory-gems';
import { MemoryQuizStore } from '../fakes/memory-quizzes';

const STUDENT_ID = oid(0x57);
const student: Caller = { kind: 'user', userId: STUDENT_ID, role: 'student', categoryIds: [] };
const admin: Caller = { kind: 'user', userId: oid(0xad), role: 'admin', categoryIds: [] };

function setUp(course: CourseOutline = courseWith([1])) {
  const quizzes = new MemoryQuizStore();
  const attempts = new MemoryAttemptStore();
  const courses = new MemoryCourseDirectory(course);
  const gems = new MemoryGemsLedger();
  const logger = createLogger('quiz-test', 'silent');
  const quizMetrics = createQuizMetrics(createMetrics('quiz_test'));
  const delivery = new GrantDelivery(gems, attempts, quizMetrics, logger);
  const dispatcher = new GrantDispatcher(delivery, attempts, quizMetrics, logger, 60_000, 60_000);
  const compareAndSet = new CompareAndSet();
  const useCases = new AttemptUseCases({
    quizzes,
    attempts,
    courses,
    submissions: new Submissions(attempts, compareAndSet),
    delivery,
    dispatcher,
    grantDeliveryTimeoutMs: 1_000,
    quizMetrics,
    newId: idSequence(0x8000),
    now: () => NOW,
  });
  // q1 single (1 point, answer 1), q2 multiple (3 points, answer [0, 2]): maxScore 4, gemReward 10.
  const quiz = createQuiz(
    course,
    newQuiz({ questions: [single(1, { id: oid(0x21) }), multiple([0, 2], { id: oid(0x22), points: 3 })] }),
    idSequence(),
  );
  quizzes.quizzes.set(quiz.id, quiz);
  return { useCases, courses, gems, quiz };
}

const kindOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).kind;
};

describe('AttemptUseCases.submit', () => {
  it('scores the attempt; the first earns floor(gemReward × score / maxScore), delivered at once; later ones nothing', async () => {
    const { useCases, gems, quiz } = setUp();
    const first = await useCases.submit(student, {
      quizId: quiz.id,
      answers: [{ questionId: oid(0x22), selected: [2, 0] }],
      timeTakenMs: 5,
      requestId: '',
    });
    expect(first).toMatchObject({
      deliveredNow: true,
      attempt: { attemptNumber: 1, score: 3, maxScore: 4, passed: true, grant: { amount: 7 } },
    });
    const second = await useCases.submit(student, {
      quizId: quiz.id,
      answers: [{ questionId: oid(0x21), selected: [1] }],
      timeTakenMs: 5,
      requestId: '',
    });
    expect(second).toMatchObject({ deliveredNow: false, attempt: { attemptNumber: 2, score: 1, passed: false } });
    expect(second.attempt.grant).toBeUndefined();
    expect(gems.earnedBy(STUDENT_ID)).toBe(7);
  });

  it('with the gems service down, records the attempt and leaves the grant pending for the dispatcher', async () => {
    const { useCases, gems, quiz } = setUp();
    gems.down = true;
    const answers = [{ questionId: oid(0x21), selected: [1] }];
    const { attempt, deliveredNow } = await useCases.submit(student, { quizId: quiz.id, answers, timeTakenMs: 0, requestId: '' });
    expect(deliveredNow).toBe(false);
    expect(attempt).toMatchObject({ attemptNumber: 1, grant: { status: 'pending' } });
  });

  it('is not found for a quiz of a course the student may not see', async () => {
    const { useCases, quiz } = setUp(courseWith([1], 'draft'));
    expect(await kindOf(useCases.submit(student, { quizId: quiz.id, answers: [], timeTakenMs: 0, requestId: '' }))).toBe('not_found');
  });
});

describe('AttemptUseCases.list', () => {
  it("lists the caller's own attempts at a quiz of a visible course, oldest first", async () => {
    const { useCases, quiz } = setUp();
    for (let i = 0; i < 3; i++) await useCases.submit(student, { quizId: quiz.id, answers: [], timeTakenMs: i, requestId: '' });
    const page = await useCases.list(student, { quizId: quiz.id, courseId: '', userId: '', limit: 2, cursor: '' });
    expect(page.items.map((a) => a.attemptNumber)).toEqual([1, 2]);
    const rest = await useCases.list(student, { quizId: quiz.id, courseId: '', userId: '', limit: 2, cursor: page.nextCursor });
    expect(rest).toEqual({ items: [expect.objectContaining({ attemptNumber: 3 })], nextCursor: '' });
  });

  it('is not found, as the quiz is, once its course is hidden from the caller (a draft again), even with attempts', async () => {
    const course = courseWith([1]);
    const { useCases, courses, quiz } = setUp(course);
    await useCases.submit(student, { quizId: quiz.id, answers: [], timeTakenMs: 0, requestId: '' });
    courses.courses.set(course.id, { ...course, status: 'draft' });
    expect(await kindOf(useCases.list(student, { quizId: quiz.id, courseId: '', userId: '', limit: 0, cursor: '' }))).toBe('not_found');
    expect((await useCases.list(admin, { quizId: quiz.id, courseId: '', userId: STUDENT_ID, limit: 0, cursor: '' })).items).toHaveLength(1);
  });
});

describe('AttemptUseCases.courseResults: the read model of a progress request', () => {
  const subadmin = (categoryIds: string[]): Caller => ({ kind: 'user', userId: oid(0x5b), role: 'subadmin', categoryIds });

  it('answers per quiz the attempts, best score, passed, gems, and the gems earned at the course', async () => {
    const { useCases, quiz } = setUp();
    await useCases.submit(student, { quizId: quiz.id, answers: [{ questionId: oid(0x21), selected: [1] }], timeTakenMs: 0, requestId: '' });
    await useCases.submit(student, {
      quizId: quiz.id,
      answers: [{ questionId: oid(0x22), selected: [0, 2] }],
      timeTakenMs: 0,
      requestId: '',
    });
    const results = await useCases.courseResults(student, { courseId: quiz.courseId, userId: '' });
    expect(results).toEqual({
      quizzes: [
        {
          quiz: expect.objectContaining({ id: quiz.id, maxScore: 4 }),
          result: { attempts: 2, bestScore: 3, passed: true, gemsAwarded: 2 },
        },
      ],
      earnedGems: 2,
    });
    const forAuthor = await useCases.courseResults(subadmin([CATEGORY]), { courseId: quiz.courseId, userId: STUDENT_ID });
    expect(forAuthor).toEqual(results);
  });

  it("is forbidden to read another user's results unless an author of the course, and not found for a hidden course", async () => {
    const { useCases, quiz } = setUp();
    const other: Caller = { kind: 'user', userId: oid(0x58), role: 'student', categoryIds: [] };
    expect(await kindOf(useCases.courseResults(other, { courseId: quiz.courseId, userId: STUDENT_ID }))).toBe('forbidden');
    expect(await kindOf(useCases.courseResults(subadmin([oid(3)]), { courseId: quiz.courseId, userId: STUDENT_ID }))).toBe('forbidden');
    const draft = setUp(courseWith([1], 'draft'));
    expect(await kindOf(draft.useCases.courseResults(student, { courseId: draft.quiz.courseId, userId: '' }))).toBe('not_found');
  });
});
