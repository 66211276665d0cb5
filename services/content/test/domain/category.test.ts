import { categoryKey, createCategory, validateCategoryName } from '../../src/domain';
import { domainError, oid } from './helpers';

describe('categoryKey', () => {
  it('gives one key for "Math", " math " and "MATH"', () => {
    expect(new Set(['Math', ' math ', 'MATH'].map(categoryKey))).toEqual(new Set(['math']));
  });

  it('gives one key for the two ways of writing an accented letter', () => {
    expect(categoryKey('Caf\u00e9')).toBe(categoryKey('CAFE\u0301'));
  });

  it('keeps different names apart', () => {
    expect(categoryKey('Math')).not.toBe(categoryKey('Maths'));
  });
});

describe('validateCategoryName', () => {
  it('returns the trimmed name', () => {
    expect(validateCategoryName('  Math  ')).toBe('Math');
    expect(validateCategoryName('x'.repeat(100))).toHaveLength(100);
  });

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['x'.repeat(101), 'must be at most 100 characters'],
    [42, 'must be a string'],
    [undefined, 'is required'],
  ])('rejects %p', (name, message) => {
    expect(domainError(() => validateCategoryName(name), 'invalid').issues).toEqual([{ path: 'name', message }]);
  });
});

describe('createCategory', () => {
  it('keeps the name as typed (trimmed) and its key', () => {
    expect(createCategory({ id: oid(7), name: ' Linear Algebra ' })).toEqual({
      id: oid(7),
      name: 'Linear Algebra',
      key: 'linear algebra',
    });
  });
});
