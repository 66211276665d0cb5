import { assertPermutation, insertAt, moveTo, removeById, reorderBy } from '../../src/domain';
import { deepFreeze, domainError } from './helpers';

const list = deepFreeze(['a', 'b', 'c']);

describe('insertAt', () => {
  it.each([
    [1, ['x', 'a', 'b', 'c']],
    [2, ['a', 'x', 'b', 'c']],
    [3, ['a', 'b', 'x', 'c']],
    [4, ['a', 'b', 'c', 'x']],
    [99, ['a', 'b', 'c', 'x']],
    [undefined, ['a', 'b', 'c', 'x']],
  ])('at %p gives %p', (position, expected) => {
    expect(insertAt(list, 'x', position)).toEqual(expected);
  });

  it('inserts into an empty list', () => {
    expect(insertAt([], 'x', 5)).toEqual(['x']);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects position %p', (position) => {
    const error = domainError(() => insertAt(list, 'x', position), 'invalid');
    expect(error.issues).toEqual([{ path: 'position', message: 'must be a whole number from 1' }]);
  });
});

describe('moveTo', () => {
  const units = deepFreeze([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
  const ids = (l: readonly { id: string }[]) => l.map((u) => u.id);

  it('moves first to last and last to first', () => {
    expect(ids(moveTo(units, 'a', 3, 'unit'))).toEqual(['b', 'c', 'a']);
    expect(ids(moveTo(units, 'c', 1, 'unit'))).toEqual(['c', 'a', 'b']);
  });

  it('moves into the middle, and past the end means last', () => {
    expect(ids(moveTo(units, 'a', 2, 'unit'))).toEqual(['b', 'a', 'c']);
    expect(ids(moveTo(units, 'a', 50, 'unit'))).toEqual(['b', 'c', 'a']);
  });

  it('keeps the same items (by reference)', () => {
    expect(moveTo(units, 'b', 1, 'unit')).toEqual([units[1], units[0], units[2]]);
  });

  it('rejects an unknown id and a bad position', () => {
    expect(domainError(() => moveTo(units, 'z', 1, 'unit'), 'not_found').message).toBe('unit not found');
    domainError(() => moveTo(units, 'a', 0, 'unit'), 'invalid');
  });
});

describe('removeById', () => {
  it('removes and returns the item', () => {
    expect(removeById(list, 'b', 'page')).toEqual({ list: ['a', 'c'], removed: 'b' });
  });

  it('throws not found for an unknown id', () => {
    expect(domainError(() => removeById(list, 'z', 'page'), 'not_found').message).toBe('page not found');
  });
});

describe('assertPermutation', () => {
  it('accepts any order of exactly the current ids', () => {
    expect(() => assertPermutation(list, ['c', 'a', 'b'], 'ids')).not.toThrow();
    expect(() => assertPermutation([], [], 'ids')).not.toThrow();
  });

  it('names a missing id', () => {
    const error = domainError(() => assertPermutation(list, ['a', 'c'], 'unitIds'), 'invalid');
    expect(error.issues).toEqual([{ path: 'unitIds', message: "'b' is missing" }]);
  });

  it('names an extra id', () => {
    const error = domainError(() => assertPermutation(list, ['a', 'b', 'c', 'd'], 'unitIds'), 'invalid');
    expect(error.issues).toEqual([{ path: 'unitIds/3', message: "'d' is not one of the ids being ordered" }]);
  });

  it('names a repeated id', () => {
    const error = domainError(() => assertPermutation(list, ['a', 'b', 'a', 'c'], 'unitIds'), 'invalid');
    expect(error.issues).toEqual([{ path: 'unitIds/2', message: "'a' is repeated (already at unitIds/0)" }]);
  });

  it('names an unknown id in place of a current one, and reports every problem at once', () => {
    const error = domainError(() => assertPermutation(list, ['a', 'z', 'a'], 'pageIds'), 'invalid');
    expect(error.issues).toEqual([
      { path: 'pageIds/1', message: "'z' is not one of the ids being ordered" },
      { path: 'pageIds/2', message: "'a' is repeated (already at pageIds/0)" },
      { path: 'pageIds', message: "'b' is missing" },
      { path: 'pageIds', message: "'c' is missing" },
    ]);
  });
});

describe('reorderBy', () => {
  it('returns the items in the requested order', () => {
    const items = deepFreeze([
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
    ]);
    expect(reorderBy(items, ['b', 'a'], 'ids')).toEqual([items[1], items[0]]);
  });
});
