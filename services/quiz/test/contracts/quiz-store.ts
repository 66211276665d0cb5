/**
 * What every QuizStore promises, as the use cases rely on it: run against the
 * in-memory fake (store/quiz-store.test.ts) and against the MongoDB adapter
 * on the local database (store/quiz-store.int.test.ts).
 */
import { ObjectId } from 'mongodb';
import { createQuiz, type CourseOutline, type QuizState } from '../../src/domain';
import type { QuizStore } from '../../src/store/quizzes';
import { newQuiz } from '../domain/helpers';

const newId = () => new ObjectId().toHexString();

/** A published course of two units (two pages, then one), all ids new. */
function newCourse(): CourseOutline {
  return {
    id: newId(),
    categoryId: newId(),
    status: 'published',
    units: [
      { id: newId(), pageIds: [newId(), newId()] },
      { id: newId(), pageIds: [newId()] },
    ],
  };
}

export function quizStoreContract(open: () => Promise<QuizStore> | QuizStore): void {
  let store: QuizStore;
  let course: CourseOutline;
  const unit = (index: number) => course.units[index]!.id;
  const quiz = (extra: Parameters<typeof newQuiz>[0] = {}): QuizState =>
    createQuiz(
      course,
      newQuiz({ id: newId(), createdBy: newId(), now: new Date('2026-12-07T10:00:00.000Z'), unitId: unit(0), ...extra }),
      newId,
    );

  beforeEach(async () => {
    store = await open();
    course = newCourse();
  });

  test('a quiz is read back by id as it was written; an unknown id is undefined', async () => {
    const unitQuiz = quiz();
    const pageQuiz = quiz({ trigger: 'page', pageOrder: 2 });
    await store.insert(unitQuiz);
    await store.insert(pageQuiz);
    expect(await store.get(unitQuiz.id)).toEqual(unitQuiz);
    expect(await store.get(pageQuiz.id)).toEqual(pageQuiz);
    expect(await store.get(newId())).toBeUndefined();
  });

  test("list: a course's or a unit's quizzes, by trigger, oldest first, after the cursor", async () => {
    const quizzes = [quiz(), quiz({ unitId: unit(1) }), quiz({ trigger: 'page', pageOrder: 1 }), quiz({ unitId: unit(1) })];
    for (const one of quizzes) await store.insert(one);
    const elsewhere = course;
    course = newCourse();
    await store.insert(quiz());
    course = elsewhere;
    const ids = (list: QuizState[]) => list.map((one) => one.id);

    expect(ids(await store.list({ courseId: course.id }, undefined))).toEqual(ids(quizzes));
    expect(ids(await store.list({ unitId: unit(1) }, undefined))).toEqual([quizzes[1]!.id, quizzes[3]!.id]);
    expect(ids(await store.list({ courseId: course.id, trigger: 'page' }, undefined))).toEqual([quizzes[2]!.id]);
    expect(ids(await store.list({ courseId: course.id, unitId: unit(0), trigger: 'unit' }, undefined))).toEqual([quizzes[0]!.id]);
    expect(ids(await store.list({ courseId: course.id }, quizzes[1]!.id))).toEqual(ids(quizzes.slice(2)));
  });

  test('replace is a compare-and-set on the version: the first change wins, a stale one changes nothing', async () => {
    const original = quiz();
    await store.insert(original);
    const renamed = { ...original, title: 'Renamed', version: original.version + 1 };
    expect(await store.replace(renamed, original.version)).toBe(true);
    expect(await store.replace({ ...original, title: 'Stale', version: original.version + 1 }, original.version)).toBe(false);
    expect(await store.get(original.id)).toEqual(renamed);
  });

  test('delete takes the quiz at that version only', async () => {
    const one = quiz();
    await store.insert(one);
    expect(await store.delete(one.id, one.version + 1)).toBe(false);
    expect(await store.get(one.id)).toEqual(one);
    expect(await store.delete(one.id, one.version)).toBe(true);
    expect(await store.get(one.id)).toBeUndefined();
    expect(await store.delete(one.id, one.version)).toBe(false);
  });
}
