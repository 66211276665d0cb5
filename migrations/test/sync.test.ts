// What the markers tell apart: a legacy edit, a change of structure, an author's edit in the new shape.
import { ObjectId } from 'mongodb';
import { courseSync, digest, legacyChanges, newShapeUntouched, quizDigest } from '../src/sync';
import { structureCourse, type LegacyCourse } from '../src/transform';

const id = (n: number) => new ObjectId(n.toString(16).padStart(24, '0'));
const course = (modules: LegacyCourse['modules'], extra: Partial<LegacyCourse> = {}): LegacyCourse => ({
  _id: id(1),
  title: 'C',
  category: 'Math',
  modules,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...extra,
});

const legacy = course([
  { _id: id(10), title: 'one', order: 1, content: 'a' },
  { _id: id(11), title: 'two', order: 2, lessons: [{ title: 'l', body: 'b' }] },
]);
const { fields } = structureCourse(legacy);
const sync = courseSync(legacy, fields.units, 1, fields.lastPageVersion);

test('nothing changed: no change', () => {
  expect(legacyChanges(legacy, sync)).toEqual({ structure: false, modules: [] });
});

test("a module's content edited in the monolith is that module's change, not the structure's", () => {
  const edited = course([
    { _id: id(10), title: 'one', order: 1, content: 'a, edited' },
    { _id: id(11), title: 'two', order: 2, lessons: [{ title: 'l', body: 'b' }] },
  ]);
  expect(legacyChanges(edited, sync)).toEqual({ structure: false, modules: [id(10).toHexString()] });
});

test('modules reordered, a category or publication changed: the structure changed', () => {
  const reordered = course([
    { _id: id(10), title: 'one', order: 2, content: 'a' },
    { _id: id(11), title: 'two', order: 1, lessons: [{ title: 'l', body: 'b' }] },
  ]);
  expect(legacyChanges(reordered, sync).structure).toBe(true);
  expect(legacyChanges({ ...legacy, published: true }, sync).structure).toBe(true);
  expect(legacyChanges({ ...legacy, category: 'History' }, sync).structure).toBe(true);
  // The same category spelled otherwise is the same category.
  expect(legacyChanges({ ...legacy, category: ' MATH ' }, sync).structure).toBe(false);
});

test('the new shape is untouched while the version and the page counter are those the migration wrote', () => {
  expect(newShapeUntouched({ version: 1, lastPageVersion: fields.lastPageVersion }, sync)).toBe(true);
  expect(newShapeUntouched({ version: 2, lastPageVersion: fields.lastPageVersion }, sync)).toBe(false);
  expect(newShapeUntouched({ version: 1, lastPageVersion: fields.lastPageVersion + 1 }, sync)).toBe(false);
});

test("a quiz's digest ignores the question ids the migration adds, not an edit of a question", () => {
  const quiz = { courseId: id(1), moduleId: id(10), questions: [{ prompt: 'p', options: ['a', 'b'], answer: 1 }] };
  expect(quizDigest({ ...quiz, questions: [{ ...quiz.questions[0], id: 'f'.repeat(24) }] })).toBe(quizDigest(quiz));
  expect(quizDigest({ ...quiz, questions: [{ ...quiz.questions[0], answer: 0 }] })).not.toBe(quizDigest(quiz));
  expect(digest({ a: 1 })).toBe(digest({ a: 1 }));
});
