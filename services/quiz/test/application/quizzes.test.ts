import { CompareAndSet, DomainError, type Caller } from '@testmancer/shared';
import { QuizUseCases } from '../../src/application/quizzes';
import { createQuiz, type CourseOutline } from '../../src/domain';
import { CATEGORY, courseWith, idSequence, newQuiz, NOW, oid, single } from '../domain/helpers';
import { MemoryCourseDirectory } from '../fakes/memory-courses';
import { MemoryQuizStore } from '../fakes/memory-quizzes';

const admin: Caller = { kind: 'user', userId: oid(0xad), role: 'admin', categoryIds: [] };
const subadmin = (categoryIds: string[]): Caller => ({ kind: 'user', userId: oid(0x5b), role: 'subadmin', categoryIds });
const student: Caller = { kind: 'user', userId: oid(0x57), role: 'student', categoryIds: [] };

function setUp(course: CourseOutline = courseWith([2])) {
  const quizzes = new MemoryQuizStore();
  const courses = new MemoryCourseDirectory(course);
  const useCases = new QuizUseCases({ quizzes, courses, compareAndSet: new CompareAndSet(), newId: idSequence(0x7000), now: () => NOW });
  const quiz = createQuiz(course, newQuiz({ id: oid(0x500) }), idSequence());
  quizzes.quizzes.set(quiz.id, quiz);
  return { quizzes, courses, useCases, quiz };
}

const rejection = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).kind;
};

describe('QuizUseCases.forCaller: the view is decided by the shared access rule, with one read of the course', () => {
  it('gives the author view to admins and to subadmins of the category', async () => {
    const { useCases, courses, quiz } = setUp();
    for (const caller of [admin, subadmin([oid(3), CATEGORY])]) {
      const found = await useCases.forCaller(caller, quiz.id);
      expect(found).toMatchObject({ view: 'author', quiz: { id: quiz.id, questions: [{ answer: [1] }] }, location: { orphaned: false } });
    }
    expect(courses.reads).toBe(2);
  });

  it('gives the student view, without answers, to students, anonymous callers and subadmins out of scope', async () => {
    const { useCases, quiz } = setUp();
    for (const caller of [student, { kind: 'anonymous' } as Caller, subadmin([oid(3)])]) {
      const found = await useCases.forCaller(caller, quiz.id);
      expect(found.view).toBe('student');
      expect(JSON.stringify(found)).not.toMatch(/answer/);
    }
  });

  it('is not found for whoever may not see the course (a draft) or when the quiz is an orphan', async () => {
    const draft = setUp(courseWith([2], 'draft'));
    expect(await rejection(draft.useCases.forCaller(student, draft.quiz.id))).toBe('not_found');
    expect(await rejection(draft.useCases.forCaller(subadmin([oid(3)]), draft.quiz.id))).toBe('not_found');
    expect((await draft.useCases.forCaller(subadmin([CATEGORY]), draft.quiz.id)).view).toBe('author');

    const gone = setUp();
    gone.courses.courses.clear();
    expect(await gone.useCases.forCaller(admin, gone.quiz.id)).toMatchObject({ view: 'author', location: { orphaned: true } });
    expect(await rejection(gone.useCases.forCaller(student, gone.quiz.id))).toBe('not_found');
  });
});

describe('QuizUseCases.update: a lost compare-and-set is retried under the shared policy', () => {
  it('lands every one of concurrent updates, each on the version before it', async () => {
    const { useCases, quizzes, quiz } = setUp();
    const titles = Array.from({ length: 10 }, (_, i) => `Title ${String(i)}`);
    await Promise.all(titles.map((title) => useCases.update(admin, quiz.id, undefined, { title })));
    const stored = quizzes.quizzes.get(quiz.id)!;
    expect(stored.version).toBe(1 + titles.length);
    expect(titles).toContain(stored.title);
  });

  it('refuses a stale expected version and changes nothing', async () => {
    const { useCases, quizzes, quiz } = setUp();
    await useCases.update(admin, quiz.id, 1, { questions: [single(0)] });
    expect(await rejection(useCases.update(admin, quiz.id, 1, { title: 'Late' }))).toBe('stale');
    expect(quizzes.quizzes.get(quiz.id)).toMatchObject({ version: 2, title: quiz.title });
  });

  it('is forbidden to subadmins out of scope and not found on a course they may not see', async () => {
    const { useCases, quiz } = setUp();
    expect(await rejection(useCases.update(subadmin([oid(3)]), quiz.id, undefined, { title: 'x' }))).toBe('forbidden');
    const draft = setUp(courseWith([2], 'draft'));
    expect(await rejection(draft.useCases.update(subadmin([oid(3)]), draft.quiz.id, undefined, { title: 'x' }))).toBe('not_found');
  });
});
