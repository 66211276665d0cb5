import { coursePath, END, nextItem, type PathItem, type PathQuiz, type PathUnit } from '../src/domain/navigation';

const unit = (id: string, pages: number): PathUnit => ({
  id,
  pages: Array.from({ length: pages }, (_, i) => ({ pageOrder: i + 1, title: `${id}.${i + 1}` })),
});
const unitQuiz = (id: string, unitId: string): PathQuiz => ({ id, trigger: 'unit', unitId, title: id });
const pageQuiz = (id: string, unitId: string, pageOrder: number | undefined): PathQuiz => ({
  id,
  trigger: 'page',
  unitId,
  pageOrder,
  title: id,
});

/** `U1.2` for a page, the quiz id for a quiz. */
const labels = (path: readonly PathItem[]) => path.map((item) => (item.type === 'page' ? item.title : item.quizId));

const ON = { pageQuizzes: true };
const OFF = { pageQuizzes: false };

describe('coursePath', () => {
  test('pages in order, each followed by its page quizzes, the unit quizzes after the last page, then the next unit', () => {
    const units = [unit('U1', 2), unit('U2', 1)];
    const quizzes = [
      unitQuiz('qU1', 'U1'),
      pageQuiz('qU1.1a', 'U1', 1),
      pageQuiz('qU2.1', 'U2', 1),
      pageQuiz('qU1.1b', 'U1', 1),
      unitQuiz('qU2', 'U2'),
    ];
    expect(labels(coursePath(units, quizzes, ON))).toEqual(['U1.1', 'qU1.1a', 'qU1.1b', 'U1.2', 'qU1', 'U2.1', 'qU2.1', 'qU2']);
  });

  test('items carry what a client needs: ids, page order (page quizzes only) and title', () => {
    const path = coursePath([unit('U1', 1)], [pageQuiz('qp', 'U1', 1), unitQuiz('qu', 'U1')], ON);
    expect(path).toEqual([
      { type: 'page', unitId: 'U1', pageOrder: 1, title: 'U1.1' },
      { type: 'quiz', quizId: 'qp', unitId: 'U1', pageOrder: 1, title: 'qp' },
      { type: 'quiz', quizId: 'qu', unitId: 'U1', title: 'qu' },
    ]);
  });

  test('page quizzes off: none on the path, unit quizzes unaffected', () => {
    const quizzes = [pageQuiz('qp', 'U1', 1), unitQuiz('qu', 'U1')];
    expect(labels(coursePath([unit('U1', 2)], quizzes, OFF))).toEqual(['U1.1', 'U1.2', 'qu']);
  });

  test('a unit without pages: its unit quizzes where it stands, or nothing at all (first, middle, last)', () => {
    const units = [unit('E1', 0), unit('U2', 1), unit('E3', 0), unit('U4', 1), unit('E5', 0)];
    const quizzes = [unitQuiz('qE1', 'E1'), unitQuiz('qE5', 'E5')];
    expect(labels(coursePath(units, quizzes, ON))).toEqual(['qE1', 'U2.1', 'U4.1', 'qE5']);
  });

  test('a course without units or pages has an empty path', () => {
    expect(coursePath([], [], ON)).toEqual([]);
    expect(coursePath([unit('E1', 0)], [], ON)).toEqual([]);
  });

  test('quizzes naming no unit or page of the course, and page quizzes without a page order, are left out', () => {
    const quizzes = [unitQuiz('elsewhere', 'U9'), pageQuiz('past-the-end', 'U1', 3), pageQuiz('no-order', 'U1', undefined)];
    expect(labels(coursePath([unit('U1', 2)], quizzes, ON))).toEqual(['U1.1', 'U1.2']);
  });
});

describe('nextItem', () => {
  const path = coursePath([unit('U1', 2)], [pageQuiz('qp', 'U1', 1), unitQuiz('qu', 'U1')], ON);

  test('from the start: the first item, or the end of an empty path', () => {
    expect(nextItem(path, { kind: 'start' })).toEqual({ type: 'page', unitId: 'U1', pageOrder: 1, title: 'U1.1' });
    expect(nextItem([], { kind: 'start' })).toBe(END);
  });

  test('after a page and after a quiz', () => {
    expect(nextItem(path, { kind: 'page', unitId: 'U1', pageOrder: 1 })).toMatchObject({ type: 'quiz', quizId: 'qp' });
    expect(nextItem(path, { kind: 'quiz', quizId: 'qp' })).toMatchObject({ type: 'page', pageOrder: 2 });
  });

  test('after the last item: the end', () => {
    expect(nextItem(path, { kind: 'quiz', quizId: 'qu' })).toEqual({ type: 'end' });
  });

  test('a point not on the path: undefined', () => {
    expect(nextItem(path, { kind: 'page', unitId: 'U1', pageOrder: 3 })).toBeUndefined();
    expect(nextItem(path, { kind: 'page', unitId: 'U2', pageOrder: 1 })).toBeUndefined();
    expect(nextItem(path, { kind: 'quiz', quizId: 'U1.1' })).toBeUndefined();
    // A page quiz where page quizzes are off is not on that path.
    expect(nextItem(coursePath([unit('U1', 1)], [pageQuiz('qp', 'U1', 1)], OFF), { kind: 'quiz', quizId: 'qp' })).toBeUndefined();
  });
});
