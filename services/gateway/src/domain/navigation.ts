/**
 * A course as a path: the order a student meets its pages and quizzes in.
 * Pure: the routes fetch the course and its quizzes and hand them in.
 */

/** A unit as navigation needs it: its pages in order (`pageOrder` is 1-based). */
export interface PathUnit {
  readonly id: string;
  readonly pages: readonly { readonly pageOrder: number; readonly title: string }[];
}

/** A quiz as students see it; a page quiz names its page by `pageOrder` in its unit. */
export interface PathQuiz {
  readonly id: string;
  readonly trigger: 'unit' | 'page';
  readonly unitId: string;
  readonly pageOrder?: number | undefined;
  readonly title: string;
}

export interface PageItem {
  readonly type: 'page';
  readonly unitId: string;
  readonly pageOrder: number;
  readonly title: string;
}

/** `pageOrder` only for page quizzes: the page the quiz follows. */
export interface QuizItem {
  readonly type: 'quiz';
  readonly quizId: string;
  readonly unitId: string;
  readonly pageOrder?: number;
  readonly title: string;
}

export type PathItem = PageItem | QuizItem;
export const END = { type: 'end' } as const;
export type NextItem = PathItem | typeof END;

/** Where a student is: before the first item, on a page, or at a quiz. */
export type Position =
  | { readonly kind: 'start' }
  | { readonly kind: 'page'; readonly unitId: string; readonly pageOrder: number }
  | { readonly kind: 'quiz'; readonly quizId: string };

export interface PathOptions {
  /** PAGE_QUIZZES_ENABLED for the caller: off, page quizzes are not on the path at all. */
  readonly pageQuizzes: boolean;
}

const pageKey = (unitId: string, pageOrder: number) => `${unitId}/${pageOrder}`;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

const quizItem = (quiz: PathQuiz): QuizItem => ({
  type: 'quiz',
  quizId: quiz.id,
  unitId: quiz.unitId,
  ...(quiz.pageOrder === undefined ? {} : { pageOrder: quiz.pageOrder }),
  title: quiz.title,
});

/**
 * Every item of the course in the order a student meets them: unit by unit,
 * each page followed by its page quizzes, and after the unit's last page the
 * unit's quizzes. A unit without pages thus shows its unit quizzes right
 * where it stands, and contributes nothing when it has no quizzes either.
 * Quizzes after one page or one unit keep the order they are given in
 * (the quiz service lists them oldest first). A quiz that names no unit or
 * page of `units` (the course changed between the two reads) is left out.
 */
export function coursePath(units: readonly PathUnit[], quizzes: readonly PathQuiz[], options: PathOptions): PathItem[] {
  const unitQuizzes = groupBy(
    quizzes.filter((quiz) => quiz.trigger === 'unit'),
    (quiz) => quiz.unitId,
  );
  const pageQuizzes = groupBy(
    options.pageQuizzes ? quizzes.filter((quiz) => quiz.trigger === 'page' && quiz.pageOrder !== undefined) : [],
    (quiz) => pageKey(quiz.unitId, quiz.pageOrder ?? 0),
  );
  return units.flatMap((unit) => [
    ...unit.pages.flatMap((page): PathItem[] => [
      { type: 'page', unitId: unit.id, pageOrder: page.pageOrder, title: page.title },
      ...(pageQuizzes.get(pageKey(unit.id, page.pageOrder)) ?? []).map(quizItem),
    ]),
    ...(unitQuizzes.get(unit.id) ?? []).map(quizItem),
  ]);
}

function isAt(item: PathItem, position: Exclude<Position, { kind: 'start' }>): boolean {
  if (position.kind === 'quiz') return item.type === 'quiz' && item.quizId === position.quizId;
  return item.type === 'page' && item.unitId === position.unitId && item.pageOrder === position.pageOrder;
}

/** The item after `from` (from the start: the first), `END` past the last, `undefined` when `from` is not on the path. */
export function nextItem(path: readonly PathItem[], from: Position): NextItem | undefined {
  if (from.kind === 'start') return path[0] ?? END;
  const index = path.findIndex((item) => isAt(item, from));
  if (index < 0) return undefined;
  return path[index + 1] ?? END;
}
