import type { Schemas } from '../../shared/api/client';
import type { From } from '../common/useGoNext';
import { unitProgressOf } from './courseShape';

export type PageItem = { type: 'page'; unitId: string; pageOrder: number; title: string; viewed: boolean };
export type QuizItem = { type: 'quiz' } & Schemas['QuizProgress'];
export type OutlineItem = PageItem | QuizItem;

export interface OutlineUnit {
  id: string;
  order: number;
  title: string;
  items: OutlineItem[];
}

/**
 * The course as the student walks it: each page followed by its page quizzes, the unit quizzes
 * after the unit's last page. The progress lists only the quizzes of the caller's path (no page
 * quizzes where they are off), so what is shown here is what Next offers.
 */
export function outlineOf(units: readonly Schemas['UnitDetail'][], progress: Schemas['CourseProgress']): OutlineUnit[] {
  const viewed = new Map(unitProgressOf(progress).map((unit) => [unit.unitId, new Set(unit.completedPageOrders)]));
  return units.map((unit) => {
    const quizzes = progress.quizzes.filter((quiz) => quiz.unitId === unit.id);
    const items: OutlineItem[] = [];
    for (const page of [...unit.pages].sort((a, b) => a.pageOrder - b.pageOrder)) {
      const pageOrder = page.pageOrder;
      items.push({ type: 'page', unitId: unit.id, pageOrder, title: page.title, viewed: viewed.get(unit.id)?.has(pageOrder) ?? false });
      for (const quiz of quizzes) if (quiz.pageOrder === pageOrder) items.push({ type: 'quiz', ...quiz });
    }
    for (const quiz of quizzes) if (quiz.pageOrder === undefined) items.push({ type: 'quiz', ...quiz });
    return { id: unit.id, order: unit.order, title: unit.title, items };
  });
}

const isDone = (item: OutlineItem) => (item.type === 'page' ? item.viewed : item.attempts > 0);

/** Where Continue picks up: after the last thing done, or the very start. */
export function resumePoint(outline: readonly OutlineUnit[]): { from: From; started: boolean } {
  const done = outline.flatMap((unit) => unit.items).filter(isDone);
  const last = done[done.length - 1];
  if (!last) return { from: { kind: 'start' }, started: false };
  const from: From =
    last.type === 'page' ? { kind: 'page', unitId: last.unitId, pageOrder: last.pageOrder } : { kind: 'quiz', quizId: last.quizId };
  return { from, started: true };
}
