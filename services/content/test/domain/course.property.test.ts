/**
 * 500 random structure changes on one course, with a seeded PRNG so that a
 * failure replays. After each: orders are exactly 1..n, counts agree, no id
 * appears twice, the version grew by one per change (a unit's own by one when
 * its order or pages changed), `movedPages` names exactly the pages at another
 * index, and the structure equals a naive model that applies the same change
 * with Array.prototype.splice.
 */
import {
  addPage,
  addUnit,
  locatePage,
  movedPages,
  movePage,
  moveUnit,
  pageIdAt,
  pageOrderOf,
  removePage,
  removeUnit,
  reorderPages,
  reorderUnits,
  unitCount,
  unitViews,
  type CourseState,
} from '../../src/domain';
import { courseWith, deepFreeze, domainError, oid } from './helpers';

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Model = { id: string; pageIds: string[] }[];

/** Adds weigh more than removals, so that the course grows into something worth shuffling. */
const KINDS = [
  ...['addUnit', 'addUnit', 'moveUnit', 'removeUnit', 'reorderUnits'],
  ...['addPage', 'addPage', 'addPage', 'movePage', 'removePage', 'reorderPages'],
  'badReorder',
] as const;

const SEED = 20250102;
const OPERATIONS = 500;

it(`stays dense and consistent through ${String(OPERATIONS)} random changes (seed ${String(SEED)})`, () => {
  const random = prng(SEED);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const shuffled = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  };
  /** 1-based like the API; sometimes past the end, sometimes omitted. */
  const position = (length: number): number | undefined => (random() < 0.15 ? undefined : int(1, length + 3));
  const splicePosition = (length: number, p: number | undefined) => Math.min((p ?? length + 1) - 1, length);

  let course: CourseState = courseWith([]);
  const model: Model = [];
  let nextId = 10_000;
  const counts: Record<string, number> = {};

  for (let step = 0; step < OPERATIONS; step++) {
    const before = deepFreeze(course);
    const unit = pick(model);
    const page = unit && pick(unit.pageIds);
    const kind = pick(KINDS) ?? 'addUnit';
    let applied: string = kind;

    if (kind === 'addUnit' || !unit) {
      applied = 'addUnit';
      const id = oid(nextId++);
      const p = position(model.length);
      course = addUnit(before, { id, title: `Unit ${id}` }, p);
      model.splice(splicePosition(model.length, p), 0, { id, pageIds: [] });
    } else if (kind === 'moveUnit') {
      const p = int(1, model.length + 1);
      course = moveUnit(before, unit.id, p);
      model.splice(model.indexOf(unit), 1);
      model.splice(Math.min(p - 1, model.length), 0, unit);
    } else if (kind === 'removeUnit') {
      const result = removeUnit(before, unit.id);
      course = result.course;
      expect(result.removed.pageIds).toEqual(unit.pageIds);
      model.splice(model.indexOf(unit), 1);
    } else if (kind === 'reorderUnits') {
      const order = shuffled(model);
      course = reorderUnits(
        before,
        order.map((u) => u.id),
      );
      model.splice(0, model.length, ...order);
    } else if (kind === 'addPage' || !page) {
      applied = 'addPage';
      const id = oid(nextId++);
      const p = position(unit.pageIds.length);
      course = addPage(before, unit.id, id, p);
      unit.pageIds.splice(splicePosition(unit.pageIds.length, p), 0, id);
    } else if (kind === 'movePage') {
      const p = int(1, unit.pageIds.length + 1);
      course = movePage(before, unit.id, page, p);
      unit.pageIds.splice(unit.pageIds.indexOf(page), 1);
      unit.pageIds.splice(Math.min(p - 1, unit.pageIds.length), 0, page);
    } else if (kind === 'removePage') {
      course = removePage(before, unit.id, page);
      unit.pageIds.splice(unit.pageIds.indexOf(page), 1);
    } else if (kind === 'reorderPages') {
      const order = shuffled(unit.pageIds);
      course = reorderPages(before, unit.id, order);
      unit.pageIds.splice(0, unit.pageIds.length, ...order);
    } else {
      // A list that is not exactly the current set: rejected, and nothing changes.
      const ids = model.map((u) => u.id);
      const wrong = pick([ids.slice(1), [...ids, oid(1)], [...ids, ids[0] ?? '']]) ?? [];
      domainError(() => reorderUnits(before, wrong), 'invalid');
      course = before;
    }
    counts[applied] = (counts[applied] ?? 0) + 1;

    // Structure equals the model.
    expect(course.units.map((u) => ({ id: u.id, pageIds: [...u.pageIds] }))).toEqual(model);

    // Version: +1 for a change, unchanged for a no-op (same order) or a rejected change.
    const changed = course !== before;
    expect(course.version).toBe(before.version + (changed ? 1 : 0));

    // A unit's version: +1 when its order or its pages changed (never both at once here), else the same.
    for (const [index, unit] of course.units.entries()) {
      const was = before.units.findIndex((u) => u.id === unit.id);
      const old = before.units[was];
      if (!old) continue;
      const changedUnit = was !== index || old.pageIds.join() !== unit.pageIds.join();
      expect(unit.version).toBe(old.version + (changedUnit ? 1 : 0));
    }

    // The pages to give new versions: those still there at another index in their unit.
    const indexBefore = new Map(before.units.flatMap((u) => u.pageIds.map((id, i) => [id, i] as const)));
    const moved = course.units.flatMap((u) => u.pageIds.filter((id, i) => indexBefore.has(id) && indexBefore.get(id) !== i));
    expect(movedPages(before, course)).toEqual(moved);

    // Dense orders 1..n, counts that agree, no id twice.
    const views = unitViews(course);
    expect(views.map((v) => v.order)).toEqual(views.map((_, i) => i + 1));
    expect(unitCount(course)).toBe(course.units.length);
    const allUnitIds = course.units.map((u) => u.id);
    const allPageIds = course.units.flatMap((u) => u.pageIds);
    expect(new Set(allUnitIds).size).toBe(allUnitIds.length);
    expect(new Set(allPageIds).size).toBe(allPageIds.length);
    const located = views.flatMap((view) =>
      view.pageIds.map((pageId, i) => ({
        order: pageOrderOf(course, view.id, pageId),
        at: pageIdAt(course, view.id, i + 1),
        where: locatePage(course, pageId),
      })),
    );
    const expected = views.flatMap((view) =>
      view.pageIds.map((pageId, i) => ({ order: i + 1, at: pageId, where: { unitId: view.id, pageOrder: i + 1 } })),
    );
    expect(located).toEqual(expected);
    expect(views.map((v) => v.pageCount)).toEqual(views.map((v) => v.pageIds.length));
  }

  // The run exercised every kind of change, and built something non-trivial.
  expect(Object.keys(counts).sort()).toEqual([...new Set(KINDS)].sort());
  expect(course.units.length).toBeGreaterThan(3);
  expect(course.units.flatMap((u) => u.pageIds).length).toBeGreaterThan(20);
});
