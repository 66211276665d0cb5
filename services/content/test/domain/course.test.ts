import {
  addPage,
  addUnit,
  archive,
  assertEditable,
  checkUnitVersion,
  checkVersion,
  createCourse,
  locatePage,
  movedPages,
  movePage,
  moveUnit,
  pageIdAt,
  pageOrderOf,
  publish,
  removePage,
  removeUnit,
  renameUnit,
  reorderPages,
  reorderUnits,
  retitlePage,
  totalPages,
  unitCount,
  unitView,
  unitViews,
  unpublish,
  updateCourse,
  type CourseState,
} from '../../src/domain';
import { CATEGORY, NOW, courseWith, deepFreeze, domainError, oid, unitIds } from './helpers';

const [U1, U2, U3] = [oid(101), oid(102), oid(103)];
const NEW = oid(999);

/** Every change bumps the version by exactly one. */
function expectOneChange(before: CourseState, after: CourseState): void {
  expect(after).not.toBe(before);
  expect(after.version).toBe(before.version + 1);
}

describe('createCourse', () => {
  const input = {
    id: oid(1),
    title: '  Algebra ',
    categoryId: CATEGORY.toUpperCase(),
    unitType: 'week',
    createdBy: 'u1',
    now: NOW,
  } as const;

  it('starts a draft at version 1 with no units, trimmed and normalized', () => {
    expect(createCourse(deepFreeze({ ...input }))).toEqual({
      id: oid(1),
      title: 'Algebra',
      description: '',
      categoryId: CATEGORY,
      status: 'draft',
      unitType: 'week',
      units: [],
      version: 1,
      createdBy: 'u1',
      createdAt: NOW,
      updatedAt: NOW,
    });
  });

  it('reports every invalid field with its path', () => {
    const error = domainError(
      () =>
        createCourse({
          ...input,
          title: '   ',
          description: 'x'.repeat(5_001),
          categoryId: 'not-an-id',
          unitType: 'semester' as never,
        }),
      'invalid',
    );
    expect(error.issues).toEqual([
      { path: 'title', message: 'must not be empty' },
      { path: 'description', message: 'must be at most 5000 characters' },
      { path: 'categoryId', message: 'must be a 24-character hexadecimal id' },
      { path: 'structure/unitType', message: 'must be one of: unit, module, chapter, week, lesson' },
    ]);
  });

  it('accepts the limits exactly and rejects one past them', () => {
    expect(createCourse({ ...input, title: 'x'.repeat(200), description: 'y'.repeat(5_000) }).title).toHaveLength(200);
    expect(domainError(() => createCourse({ ...input, title: 'x'.repeat(201) }), 'invalid').issues).toEqual([
      { path: 'title', message: 'must be at most 200 characters' },
    ]);
  });

  it.each(['unit', 'module', 'chapter', 'week', 'lesson'] as const)('accepts unit type %s', (unitType) => {
    expect(createCourse({ ...input, unitType }).unitType).toBe(unitType);
  });
});

describe('updateCourse', () => {
  const course = courseWith([1]);

  it('changes the given fields only, with one version bump', () => {
    const next = updateCourse(course, { title: ' Geometry ', description: 'Shapes', unitType: 'chapter' });
    expectOneChange(course, next);
    expect(next).toEqual({ ...course, title: 'Geometry', description: 'Shapes', unitType: 'chapter', version: 2 });
  });

  it('can clear the description', () => {
    const described = updateCourse(course, { description: 'd' });
    expect(updateCourse(described, { description: '' }).description).toBe('');
  });

  it('returns the course itself when nothing changes', () => {
    expect(updateCourse(course, {})).toBe(course);
    expect(updateCourse(course, { title: 'Algebra ', categoryId: CATEGORY })).toBe(course);
  });

  it('rejects invalid values, naming the unit type as clients send it', () => {
    expect(domainError(() => updateCourse(course, { title: '', unitType: 'term' as never }), 'invalid').issues).toEqual([
      { path: 'title', message: 'must not be empty' },
      { path: 'structure/unitType', message: 'must be one of: unit, module, chapter, week, lesson' },
    ]);
  });
});

describe('status', () => {
  const draft = courseWith([]);

  it('publishes and unpublishes, one version each', () => {
    const published = publish(draft);
    expectOneChange(draft, published);
    expect(published.status).toBe('published');
    const unpublished = unpublish(published);
    expectOneChange(published, unpublished);
    expect(unpublished.status).toBe('draft');
  });

  it('treats publishing a published course, unpublishing a draft and archiving an archived one as no-ops', () => {
    const published = deepFreeze(publish(draft));
    expect(publish(published)).toBe(published);
    expect(unpublish(draft)).toBe(draft);
    const archived = deepFreeze(archive(draft));
    expect(archive(archived)).toBe(archived);
  });

  it('archives a draft or a published course', () => {
    expectOneChange(draft, archive(draft));
    expect(archive(publish(draft)).status).toBe('archived');
  });

  it('refuses every change to an archived course', () => {
    const archived = deepFreeze(archive(courseWith([1])));
    const [unit] = archived.units;
    const unitId = unit?.id ?? '';
    const pageId = unit?.pageIds[0] ?? '';
    const changes: Array<() => unknown> = [
      () => publish(archived),
      () => unpublish(archived),
      () => updateCourse(archived, { title: 'T' }),
      () => addUnit(archived, { id: NEW, title: 'T' }),
      () => renameUnit(archived, unitId, 'T'),
      () => removeUnit(archived, unitId),
      () => moveUnit(archived, unitId, 1),
      () => reorderUnits(archived, [unitId]),
      () => addPage(archived, unitId, NEW),
      () => removePage(archived, unitId, pageId),
      () => movePage(archived, unitId, pageId, 1),
      () => reorderPages(archived, unitId, [pageId]),
      () => retitlePage(archived, unitId, pageId),
      () => assertEditable(archived),
    ];
    for (const change of changes) domainError(change, 'conflict');
  });
});

describe('checkVersion', () => {
  const course = courseWith([]);

  it('passes for the current version or none', () => {
    expect(() => checkVersion(course, 1)).not.toThrow();
    expect(() => checkVersion(course)).not.toThrow();
  });

  it('throws stale naming the current version', () => {
    expect(domainError(() => checkVersion(course, 0), 'stale').message).toMatch(/current version is 1/);
  });
});

describe('units', () => {
  const course = courseWith([0, 0, 0]);

  it.each([
    [1, [NEW, U1, U2, U3]],
    [2, [U1, NEW, U2, U3]],
    [4, [U1, U2, U3, NEW]],
    [10, [U1, U2, U3, NEW]],
    [undefined, [U1, U2, U3, NEW]],
  ])('adds a unit at %p', (position, expected) => {
    const next = addUnit(course, { id: NEW, title: ' New ' }, position);
    expectOneChange(course, next);
    expect(unitIds(next)).toEqual(expected);
    const order = expected.indexOf(NEW) + 1;
    expect(unitView(next, NEW)).toEqual({ id: NEW, order, title: 'New', pageCount: 0, pageIds: [], version: 1 });
  });

  it('refuses a bad title, a bad position and a duplicate id', () => {
    expect(domainError(() => addUnit(course, { id: NEW, title: '' }), 'invalid').issues).toEqual([
      { path: 'title', message: 'must not be empty' },
    ]);
    domainError(() => addUnit(course, { id: NEW, title: 'T' }, 0), 'invalid');
    domainError(() => addUnit(course, { id: U2, title: 'T' }), 'conflict');
  });

  it('refuses more than 300 units', () => {
    const units = Array.from({ length: 300 }, (_, i) => ({ id: oid(5000 + i), title: 't', version: 1, pageIds: [] }));
    const full = deepFreeze({ ...course, units });
    domainError(() => addUnit(full, { id: NEW, title: 'T' }), 'conflict');
  });

  it('renames a unit; the same title is a no-op', () => {
    const next = renameUnit(course, U2, ' Two ');
    expectOneChange(course, next);
    expect(unitView(next, U2).title).toBe('Two');
    expect(renameUnit(course, U2, 'U2')).toBe(course);
    domainError(() => renameUnit(course, NEW, 'T'), 'not_found');
  });

  it('removes a unit, keeps the others dense and returns the removed pages', () => {
    const withPages = courseWith([1, 2, 1]);
    const { course: next, removed } = removeUnit(withPages, U2);
    expectOneChange(withPages, next);
    expect(removed).toBe(withPages.units[1]);
    expect(removed.pageIds).toHaveLength(2);
    expect(unitViews(next).map((u) => [u.id, u.order])).toEqual([
      [U1, 1],
      [U3, 2],
    ]);
    expect(unitCount(next)).toBe(2);
    domainError(() => removeUnit(withPages, NEW), 'not_found');
  });

  it('moves a unit first↔last; moving to where it is changes nothing', () => {
    expect(unitIds(moveUnit(course, U1, 3))).toEqual([U2, U3, U1]);
    expect(unitIds(moveUnit(course, U3, 1))).toEqual([U3, U1, U2]);
    expectOneChange(course, moveUnit(course, U3, 1));
    expect(moveUnit(course, U2, 2)).toBe(course);
    domainError(() => moveUnit(course, NEW, 1), 'not_found');
  });

  it('reorders all units at once; the same order changes nothing', () => {
    const next = reorderUnits(course, [U3, U1, U2]);
    expectOneChange(course, next);
    expect(unitIds(next)).toEqual([U3, U1, U2]);
    expect(next.units[0]).toEqual({ ...course.units[2], version: 2 });
    expect(reorderUnits(course, [U1, U2, U3])).toBe(course);
  });

  it.each([
    ['missing', [U1, U2], [{ path: 'unitIds', message: `'${U3}' is missing` }]],
    ['extra', [U1, U2, U3, NEW], [{ path: 'unitIds/3', message: `'${NEW}' is not one of the ids being ordered` }]],
    ['repeated', [U1, U2, U3, U1], [{ path: 'unitIds/3', message: `'${U1}' is repeated (already at unitIds/0)` }]],
    [
      'unknown',
      [U1, U2, 'nope'],
      [
        { path: 'unitIds/2', message: "'nope' is not one of the ids being ordered" },
        { path: 'unitIds', message: `'${U3}' is missing` },
      ],
    ],
  ])('rejects a reorder with a %s id, naming it, and changes nothing', (_, ids, issues) => {
    const error = domainError(() => reorderUnits(course, ids), 'invalid');
    expect(error.issues).toEqual(issues);
    expect(unitIds(course)).toEqual([U1, U2, U3]);
  });
});

describe('pages', () => {
  const course = courseWith([3, 0]);
  const [P1, P2, P3] = course.units[0]?.pageIds ?? [];
  const pages = (c: CourseState, unitId = U1) => unitView(c, unitId).pageIds;

  it.each([
    [1, [NEW, P1, P2, P3]],
    [2, [P1, NEW, P2, P3]],
    [4, [P1, P2, P3, NEW]],
    [7, [P1, P2, P3, NEW]],
    [undefined, [P1, P2, P3, NEW]],
  ])('adds a page at %p', (position, expected) => {
    const next = addPage(course, U1, NEW, position);
    expectOneChange(course, next);
    expect(pages(next)).toEqual(expected);
    expect(unitView(next, U1).pageCount).toBe(4);
  });

  it('adds the first page of an empty unit', () => {
    expect(pages(addPage(course, U2, NEW, 3), U2)).toEqual([NEW]);
  });

  it('refuses an unknown unit, a page id already in the course and a full unit', () => {
    domainError(() => addPage(course, NEW, oid(5), 1), 'not_found');
    domainError(() => addPage(course, U2, P1 ?? ''), 'conflict');
    const pageIds = Array.from({ length: 300 }, (_, i) => oid(5000 + i));
    const full = deepFreeze({ ...course, units: [{ id: U1, title: 't', version: 1, pageIds }] });
    domainError(() => addPage(full, U1, NEW), 'conflict');
  });

  it('removes a page and keeps the order dense', () => {
    const next = removePage(course, U1, P2 ?? '');
    expectOneChange(course, next);
    expect(pages(next)).toEqual([P1, P3]);
    expect(pageOrderOf(next, U1, P3 ?? '')).toBe(2);
    domainError(() => removePage(course, U1, NEW), 'not_found');
    domainError(() => removePage(course, U2, P1 ?? ''), 'not_found');
  });

  it('moves a page first↔last within its unit; in place changes nothing', () => {
    expect(pages(movePage(course, U1, P1 ?? '', 3))).toEqual([P2, P3, P1]);
    expect(pages(movePage(course, U1, P3 ?? '', 1))).toEqual([P3, P1, P2]);
    expectOneChange(course, movePage(course, U1, P3 ?? '', 1));
    expect(movePage(course, U1, P2 ?? '', 2)).toBe(course);
    domainError(() => movePage(course, U2, P1 ?? '', 1), 'not_found');
  });

  it('reorders all pages at once, or rejects naming every wrong id', () => {
    const next = reorderPages(course, U1, [P3 ?? '', P2 ?? '', P1 ?? '']);
    expectOneChange(course, next);
    expect(pages(next)).toEqual([P3, P2, P1]);
    expect(reorderPages(course, U1, [P1 ?? '', P2 ?? '', P3 ?? ''])).toBe(course);
    const error = domainError(() => reorderPages(course, U1, [P1 ?? '', P1 ?? '', NEW]), 'invalid');
    expect(error.issues).toEqual([
      { path: 'pageIds/1', message: `'${String(P1)}' is repeated (already at pageIds/0)` },
      { path: 'pageIds/2', message: `'${NEW}' is not one of the ids being ordered` },
      { path: 'pageIds', message: `'${String(P2)}' is missing` },
      { path: 'pageIds', message: `'${String(P3)}' is missing` },
    ]);
  });

  it('finds pages by order and by id', () => {
    expect(pageIdAt(course, U1, 1)).toBe(P1);
    expect(pageIdAt(course, U1, 3)).toBe(P3);
    for (const order of [0, 4, 1.5, -1]) domainError(() => pageIdAt(course, U1, order), 'not_found');
    domainError(() => pageIdAt(course, NEW, 1), 'not_found');
    expect(pageOrderOf(course, U1, P2 ?? '')).toBe(2);
    expect(locatePage(course, P3 ?? '')).toEqual({ unitId: U1, pageOrder: 3 });
    expect(locatePage(course, NEW)).toBeUndefined();
  });
});

describe('views', () => {
  it('count units and pages, orders 1..n', () => {
    const course = courseWith([2, 0, 1]);
    expect(unitCount(course)).toBe(3);
    expect(totalPages(course)).toBe(3);
    expect(unitViews(course).map(({ order, title, pageCount }) => ({ order, title, pageCount }))).toEqual([
      { order: 1, title: 'U1', pageCount: 2 },
      { order: 2, title: 'U2', pageCount: 0 },
      { order: 3, title: 'U3', pageCount: 1 },
    ]);
    domainError(() => unitView(course, NEW), 'not_found');
  });
});

describe('unit versions', () => {
  const course = courseWith([2, 1]);
  const [P1, P2] = course.units[0]?.pageIds ?? [];
  const versionOf = (c: CourseState, unitId: string) => unitView(c, unitId).version;

  it('start at 1', () => {
    expect(versionOf(addUnit(course, { id: NEW, title: 'T' }), NEW)).toBe(1);
  });

  it.each<[string, (c: CourseState) => CourseState]>([
    ['rename', (c) => renameUnit(c, U1, 'Renamed')],
    ['page added', (c) => addPage(c, U1, NEW)],
    ['page removed', (c) => removePage(c, U1, P1 ?? '')],
    ['page moved', (c) => movePage(c, U1, P1 ?? '', 2)],
    ['pages reordered', (c) => reorderPages(c, U1, [P2 ?? '', P1 ?? ''])],
    ['page retitled', (c) => retitlePage(c, U1, P2 ?? '')],
  ])('grow by one with the course on %s, and only that unit', (_, change) => {
    const next = change(course);
    expectOneChange(course, next);
    expect(versionOf(next, U1)).toBe(versionOf(course, U1) + 1);
    expect(next.units[1]).toBe(course.units[1]);
  });

  it('are what checkUnitVersion compares', () => {
    const renamed = renameUnit(course, U1, 'Renamed');
    expect(() => checkUnitVersion(renamed, U1, 2)).not.toThrow();
    expect(() => checkUnitVersion(renamed, U1)).not.toThrow();
    expect(domainError(() => checkUnitVersion(renamed, U1, 1), 'stale').message).toMatch(/unit has changed: its current version is 2/);
    domainError(() => checkUnitVersion(renamed, NEW, 1), 'not_found');
  });

  it('retitlePage needs the page in that unit', () => {
    domainError(() => retitlePage(course, U2, P1 ?? ''), 'not_found');
    domainError(() => retitlePage(course, NEW, P1 ?? ''), 'not_found');
  });
});

describe('unit versions follow their order', () => {
  const course = courseWith([0, 0, 0]);
  const versions = (c: CourseState) => c.units.map((u) => [u.id, u.version]);

  it.each<[string, (c: CourseState) => CourseState, (string | number)[][]]>([
    [
      'a unit added before some',
      (c) => addUnit(c, { id: NEW, title: 'T' }, 2),
      [
        [U1, 1],
        [NEW, 1],
        [U2, 2],
        [U3, 2],
      ],
    ],
    [
      'a unit added last',
      (c) => addUnit(c, { id: NEW, title: 'T' }),
      [
        [U1, 1],
        [U2, 1],
        [U3, 1],
        [NEW, 1],
      ],
    ],
    [
      'the first unit removed',
      (c) => removeUnit(c, U1).course,
      [
        [U2, 2],
        [U3, 2],
      ],
    ],
    [
      'the last unit removed',
      (c) => removeUnit(c, U3).course,
      [
        [U1, 1],
        [U2, 1],
      ],
    ],
    [
      'a unit moved',
      (c) => moveUnit(c, U3, 2),
      [
        [U1, 1],
        [U3, 2],
        [U2, 2],
      ],
    ],
    [
      'a reorder',
      (c) => reorderUnits(c, [U2, U1, U3]),
      [
        [U2, 2],
        [U1, 2],
        [U3, 1],
      ],
    ],
  ])('%s: every unit whose order changed grows by one, in the same change; the others stay as they were', (_, change, expected) => {
    const next = change(course);
    expectOneChange(course, next);
    expect(versions(next)).toEqual(expected);
    for (const unit of next.units) {
      const was = course.units.find((u) => u.id === unit.id);
      if (was && was.version === unit.version) expect(unit).toBe(was);
    }
  });

  it('a no-op changes no version', () => {
    expect(moveUnit(course, U2, 2)).toBe(course);
    expect(reorderUnits(course, [U1, U2, U3])).toBe(course);
  });

  it('accumulate: one per change of order', () => {
    const next = moveUnit(moveUnit(course, U1, 3), U1, 1);
    expect(unitIds(next)).toEqual([U1, U2, U3]);
    expect(versions(next)).toEqual([
      [U1, 3],
      [U2, 3],
      [U3, 3],
    ]);
  });
});

describe('movedPages', () => {
  const course = courseWith([3, 2]);
  const [P1, P2, P3] = (course.units[0]?.pageIds ?? []) as string[];

  it.each<[string, (c: CourseState) => CourseState, (string | undefined)[]]>([
    ['a page added first', (c) => addPage(c, U1, NEW, 1), [P1, P2, P3]],
    ['a page added in the middle', (c) => addPage(c, U1, NEW, 3), [P3]],
    ['a page added last', (c) => addPage(c, U1, NEW), []],
    ['the first page removed', (c) => removePage(c, U1, P1 ?? ''), [P2, P3]],
    ['the last page removed', (c) => removePage(c, U1, P3 ?? ''), []],
    ['a page moved', (c) => movePage(c, U1, P3 ?? '', 2), [P3, P2]],
    ['a reorder', (c) => reorderPages(c, U1, [P2 ?? '', P1 ?? '', P3 ?? '']), [P2, P1]],
    ['a page retitled', (c) => retitlePage(c, U1, P2 ?? ''), []],
    ['units reordered (a pageOrder counts within its unit)', (c) => reorderUnits(c, [U2, U1]), []],
    ['a unit removed (its pages are deleted, not moved)', (c) => removeUnit(c, U1).course, []],
    ['nothing', (c) => c, []],
  ])('after %s: the pages in both states at another pageOrder', (_, change, expected) => {
    expect(movedPages(course, change(course))).toEqual(expected);
  });
});
