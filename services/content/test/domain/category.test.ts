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

describe('invisible characters', () => {
  const invisible = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e', '\u3164', '\u2800', '\u202e'];

  it.each(invisible.map((c) => [c.codePointAt(0)!.toString(16)]))('a name of only U+%s (and blanks) is empty', (hex) => {
    const c = String.fromCodePoint(parseInt(hex, 16));
    for (const name of [c, `${c}${c}`, ` ${c} \t`]) {
      expect(domainError(() => validateCategoryName(name), 'invalid').issues).toEqual([{ path: 'name', message: 'must not be empty' }]);
    }
  });

  it('trims them off the edges, and the key compares names the same way', () => {
    expect(validateCategoryName('\u200b Math\u2060 ')).toBe('Math');
    expect(categoryKey('\u200bMath\ufeff')).toBe(categoryKey('math'));
    expect(createCategory({ id: oid(7), name: '\u200bMath' })).toEqual({ id: oid(7), name: 'Math', key: 'math' });
  });

  it('keeps them inside a name, where they join what they stand between', () => {
    const family = '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}';
    expect(validateCategoryName(` ${family} `)).toBe(family);
  });
});
