// One fixture per odd case of ../shared/contracts/legacy-data.md, with the result the contract asks for.
import { ObjectId } from 'mongodb';
import {
  categoryIdOf,
  categoryKey,
  derivedId,
  normalizeRole,
  orderProblems,
  parseGems,
  parsePermission,
  quizTrigger,
  structureCourse,
  trueModuleOrder,
  type LegacyCourse,
  type LegacyModule,
  type LegacyQuiz,
} from '../src/transform';

const at = new Date('2020-05-01T00:00:00Z');
const course = (modules: LegacyModule[] | undefined, extra: Partial<LegacyCourse> = {}): LegacyCourse => ({
  _id: new ObjectId('64b000000000000000000001'),
  title: 'T',
  category: 'Math',
  ...(modules ? { modules } : {}),
  createdAt: at,
  updatedAt: at,
  ...extra,
});
const id = (n: number) => new ObjectId(n.toString(16).padStart(24, '0'));

describe('users', () => {
  test.each([
    [{ role: ' Admin' }, 'admin', true],
    [{ role: 'STUDENT' }, 'student', true],
    [{ role: 'user' }, 'student', true],
    [{ role: 'SubAdmin ' }, 'subadmin', true],
    [{}, 'student', false],
    [{ role: 'teacher' }, 'student', false],
    [{ role: 'student', isAdmin: true }, 'admin', true],
    [{ role: 'subadmin', isAdmin: false }, 'subadmin', true],
  ])('role %j → %s (recognised %s)', (user, role, recognised) => {
    expect(normalizeRole(user)).toEqual({ role, recognised });
  });

  test.each([
    ['15', 15, true],
    [15, 15, true],
    [0, 0, true],
    ['12.5', 0, false],
    [12.5, 0, false],
    [-3, 0, false],
    ['abc', 0, false],
    [null, 0, false],
    [undefined, 0, false],
  ])('gems %j → %d (parsed %s)', (value, gems, parsed) => {
    expect(parseGems(value)).toEqual({ gems, parsed });
  });

  test('permissions match categories like category names do; courses:* is every category', () => {
    expect(parsePermission('courses: Math ')).toEqual({ all: false, key: 'math', name: 'Math' });
    expect(parsePermission(' COURSES:Geography')).toEqual({ all: false, key: 'geography', name: 'Geography' });
    expect(parsePermission('courses:*')).toEqual({ all: true });
    expect(parsePermission('media:upload')).toBeUndefined();
  });

  test('"Math", " math " and "MATH" are one category, with one id', () => {
    expect(new Set(['Math', ' math ', 'MATH'].map((name) => categoryIdOf(categoryKey(name)).toHexString())).size).toBe(1);
    expect(structureCourse(course([], { category: ' math ' })).fields.categoryId).toEqual(
      structureCourse(course([], { category: 'MATH' })).fields.categoryId,
    );
  });
});

describe('module order', () => {
  test('ascending order; ties keep their array position; missing order comes last in array order', () => {
    const modules: LegacyModule[] = [{ order: 2 }, {}, { order: 1 }, { order: 2 }, {}, { order: 0 }];
    expect(trueModuleOrder(modules)).toEqual([5, 2, 0, 3, 1, 4]);
  });

  test('gaps keep the order and number the units 1..n', () => {
    const result = structureCourse(
      course([
        { title: 'c', order: 30, content: 'C' },
        { title: 'a', order: 10, content: 'A' },
        { title: 'b', order: 20, content: 'B' },
      ]),
    );
    expect(result.fields.units.map((u) => u.title)).toEqual(['a', 'b', 'c']);
    expect(result.placements.map((p) => p.order)).toEqual([1, 2, 3]);
    expect(orderProblems([{ order: 10 }, { order: 30 }])).toEqual(['gaps in order']);
  });

  test('duplicates and missing values are reported', () => {
    expect(orderProblems([{ order: 1 }, { order: 1 }, {}])).toEqual(['1 module(s) without order', 'duplicated order 1']);
    expect(orderProblems([{ order: 1 }, { order: 2 }])).toEqual([]);
  });
});

describe('modules become units and pages', () => {
  test('a module keeps its _id as unit id; one without _id gets an id derived from course and position, the same every time', () => {
    const first = structureCourse(
      course([
        { _id: id(7), title: 'kept', content: 'x' },
        { title: 'old', content: 'y' },
      ]),
    );
    const again = structureCourse(
      course([
        { _id: id(7), title: 'kept', content: 'x' },
        { title: 'old', content: 'y' },
      ]),
    );
    expect(first.fields.units[0]!._id).toEqual(id(7));
    expect(first.fields.units[1]!._id).toEqual(derivedId(`unit:64b000000000000000000001:1`));
    expect(again).toEqual(first);
  });

  test('content → one page with the markdown; lessons → one page each, in order, with media', () => {
    const result = structureCourse(
      course([
        { _id: id(1), title: 'Single', content: '# Hello' },
        {
          _id: id(2),
          title: 'Multi',
          lessons: [
            { title: 'L1', body: 'one', media: [{ url: 'https://cdn/x.png', type: 'image', publicId: 'px' }] },
            { title: 'L2', body: 'two', media: [{ url: 'https://cdn/v.mp4', type: 'video' }] },
          ],
        },
      ]),
    );
    const [single, multi] = result.placements;
    expect(result.pages.filter((p) => p.unitId.equals(id(1)))).toEqual([
      expect.objectContaining({ title: 'Single', blocks: [{ type: 'markdown', markdown: '# Hello' }], media: [] }),
    ]);
    const multiPages = result.pages.filter((p) => p.unitId.equals(id(2)));
    expect(multiPages.map((p) => [p.title, p.blocks[0]!.markdown, p.media])).toEqual([
      ['L1', 'one', [{ kind: 'image', url: 'https://cdn/x.png', providerId: 'px' }]],
      ['L2', 'two', [{ kind: 'video', url: 'https://cdn/v.mp4' }]],
    ]);
    expect(single!.lessonPages).toEqual([]);
    expect(multi!.lessonPages).toEqual([1, 2]);
    expect(result.fields.units[1]!.pageIds).toEqual(multiPages.map((p) => p._id));
    // Page versions are unique within the course and the counter stands at the highest.
    expect(result.pages.map((p) => p.version)).toEqual([1, 2, 3]);
    expect(result.fields.lastPageVersion).toBe(3);
  });

  test('content and lessons: content is page 1, lesson k is page k + 2; nothing dropped', () => {
    const result = structureCourse(
      course([
        {
          _id: id(3),
          title: 'Both',
          content: 'intro',
          lessons: [
            { title: 'A', body: 'a' },
            { title: 'B', body: 'b' },
          ],
        },
      ]),
    );
    expect(result.pages.map((p) => p.blocks[0]!.markdown)).toEqual(['intro', 'a', 'b']);
    expect(result.placements[0]!.lessonPages).toEqual([2, 3]);
  });

  test('an empty module is a unit with no pages; a course without modules (empty or missing) has no units', () => {
    const result = structureCourse(course([{ _id: id(4), title: 'Empty' }]));
    expect(result.fields.units).toEqual([{ _id: id(4), title: 'Empty', version: 1, pageIds: [] }]);
    expect(result.fields.structure).toEqual({ unitType: 'module', unitCount: 1 });
    expect(structureCourse(course(undefined)).fields.structure).toEqual({ unitType: 'module', unitCount: 0 });
    expect(structureCourse(course([])).fields.units).toEqual([]);
  });

  test('published missing means draft', () => {
    expect(structureCourse(course([])).fields.status).toBe('draft');
    expect(structureCourse(course([], { published: true })).fields.status).toBe('published');
    expect(structureCourse(course([], { published: false })).fields.status).toBe('draft');
  });
});

describe('quiz triggers', () => {
  const legacy = structureCourse(
    course([
      { _id: id(10), title: 'lessons', order: 2, content: 'intro', lessons: [{ title: 'a' }, { title: 'b' }] },
      { _id: id(11), title: 'plain', order: 1, content: 'x' },
      { _id: id(12), title: 'no-lessons', order: 3 },
    ]),
  );
  const quiz = (extra: Partial<LegacyQuiz>): LegacyQuiz => ({
    _id: id(99),
    courseId: id(1),
    title: 'Q',
    questions: [{ prompt: 'p', options: ['a', 'b'], answer: 1 }],
    ...extra,
  });

  const questionId = expect.stringMatching(/^[0-9a-f]{24}$/);

  test('legacy questions get ids like every id of the API, stable from run to run', () => {
    const { fields } = quizTrigger(quiz({ moduleId: id(11) }), legacy.placements);
    expect(fields.questionIds).toEqual([questionId]);
    expect(quizTrigger(quiz({ moduleId: id(11) }), legacy.placements).fields.questionIds).toEqual(fields.questionIds);
    const own = 'a'.repeat(24);
    const kept = quiz({ questions: [{ prompt: 'p', options: ['a'], answer: 0, id: own }] });
    expect(quizTrigger(kept, legacy.placements).fields.questionIds).toEqual([own]);
  });

  test('a quiz on a module is a unit quiz with moduleId', () => {
    expect(quizTrigger(quiz({ moduleId: id(11) }), legacy.placements)).toEqual({
      fields: { trigger: 'unit', moduleId: id(11), questionIds: [questionId] },
    });
  });

  test('afterLesson k is page-triggered at the page made from lesson k (k + 2 after a content page)', () => {
    const { fields, conflict } = quizTrigger(quiz({ moduleId: id(10), afterLesson: 1 }), legacy.placements);
    expect(conflict).toBeUndefined();
    expect(fields).toEqual({
      trigger: 'page',
      moduleId: id(10),
      pageOrder: 3,
      pageId: legacy.fields.units[1]!.pageIds[2],
      questionIds: [questionId],
    });
  });

  test.each([
    ['past the last lesson', id(10), 2],
    ['on a module without lessons', id(12), 0],
    ['negative', id(10), -1],
  ])('afterLesson %s is a conflict; the quiz is kept, orphaned', (_why, moduleId, afterLesson) => {
    const { fields, conflict } = quizTrigger(quiz({ moduleId, afterLesson }), legacy.placements);
    expect(conflict).toMatchObject({ kind: 'invalid-after-lesson', collection: 'quizzes', id: id(99).toHexString() });
    expect(fields).toMatchObject({ trigger: 'unit', moduleId, orphaned: true });
  });

  test("a course-level quiz is a unit quiz of the course's last unit (true order)", () => {
    expect(quizTrigger(quiz({}), legacy.placements).fields).toEqual({ trigger: 'unit', moduleId: id(12), questionIds: [questionId] });
  });

  test('a course-level quiz in a course without units is an orphan', () => {
    expect(quizTrigger(quiz({}), []).conflict?.kind).toBe('course-quiz-without-units');
  });

  test('a quiz of a course that does not exist, or of a module not in its course, is an orphan', () => {
    expect(quizTrigger(quiz({ moduleId: id(11) }), undefined)).toMatchObject({
      fields: { orphaned: true },
      conflict: { kind: 'orphan-quiz-course' },
    });
    expect(quizTrigger(quiz({ moduleId: id(55) }), legacy.placements)).toMatchObject({
      fields: { orphaned: true },
      conflict: { kind: 'orphan-quiz-module' },
    });
  });
});
