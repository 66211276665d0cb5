import { computeProgress, percentOf } from '../../src/domain/progress';
import { courseWith, oid } from './helpers';

describe('percentOf', () => {
  test.each([
    [0, 0, 0],
    [0, 3, 0],
    [1, 3, 33],
    [2, 3, 66],
    [3, 3, 100],
    [199, 200, 99],
  ])('%i of %i is %i %%', (completed, total, percent) => {
    expect(percentOf(completed, total)).toBe(percent);
  });
});

describe('computeProgress', () => {
  // U1 pages oid(1000), oid(1001), oid(1002); U2 none; U3 oid(1003).
  const course = courseWith([3, 0, 1]);
  const [p1, , p3, p4] = [oid(1000), oid(1001), oid(1002), oid(1003)];

  test('nothing viewed: every unit at 0, in course order', () => {
    expect(computeProgress(course, new Set())).toEqual({
      completedPages: 0,
      totalPages: 4,
      percent: 0,
      units: [
        { unitId: oid(101), order: 1, completedPages: 0, totalPages: 3, completedPageOrders: [], completed: false },
        { unitId: oid(102), order: 2, completedPages: 0, totalPages: 0, completedPageOrders: [], completed: true },
        { unitId: oid(103), order: 3, completedPages: 0, totalPages: 1, completedPageOrders: [], completed: false },
      ],
      completed: false,
    });
  });

  test('viewed pages count where they stand now, page orders ascending; ids no longer in the course do not count', () => {
    const deleted = oid(4242);
    const progress = computeProgress(course, new Set([p3, deleted, p1, p4]));
    expect(progress).toMatchObject({ completedPages: 3, totalPages: 4, percent: 75 });
    expect(progress.units.map((unit) => [unit.completedPages, unit.completedPageOrders, unit.completed])).toEqual([
      [2, [1, 3], false],
      [0, [], true],
      [1, [1], true],
    ]);
    expect(progress.completed).toBe(false);
  });

  test('every page viewed: 100 %, every unit and the course completed', () => {
    const progress = computeProgress(course, new Set([p1, oid(1001), p3, p4]));
    expect(progress).toMatchObject({ percent: 100, completed: true });
    expect(progress.units.every((unit) => unit.completed)).toBe(true);
  });

  test('a course without pages: 0 of 0, 0 %', () => {
    expect(computeProgress(courseWith([]), new Set([p1]))).toEqual({
      completedPages: 0,
      totalPages: 0,
      percent: 0,
      units: [],
      completed: false,
    });
  });
});
