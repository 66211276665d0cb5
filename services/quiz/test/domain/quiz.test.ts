import { createQuiz, locate, updateQuiz, type QuizState } from '../../src/domain';
import { courseWith, domainError, idSequence, issues, multiple, newQuiz, NOW, oid, quizOf, single, trueFalse } from './helpers';

const course = courseWith([2, 3]);
const create = (extra: Parameters<typeof newQuiz>[0]) => createQuiz(course, newQuiz(extra), idSequence());

describe('createQuiz: what is kept', () => {
  it('keeps a valid quiz, trimmed, with version 1 and new ids for questions without one', () => {
    const quiz = create({
      title: '  Check  ',
      questions: [single(2, { prompt: ' Q ', options: [' a ', 'b'], answer: [1] }), multiple([3, 0], { id: oid(77).toUpperCase() })],
    });
    expect(quiz).toEqual<QuizState>({
      id: oid(0x500),
      courseId: course.id,
      trigger: 'unit',
      unitId: oid(101),
      title: 'Check',
      questions: [
        { id: oid(0x9000), type: 'single', prompt: 'Q', options: ['a', 'b'], answer: [1], points: 1 },
        { id: oid(77), type: 'multiple', prompt: 'Pick all that apply', options: ['a', 'b', 'c', 'd'], answer: [0, 3], points: 1 },
      ],
      gemReward: 10,
      markedOrphaned: false,
      version: 1,
      createdBy: oid(0xa),
      createdAt: NOW,
      updatedAt: NOW,
    });
  });

  it('accepts the limits', () => {
    const questions = Array.from({ length: 100 }, () =>
      single(0, { points: 100, options: Array.from({ length: 10 }, (_, i) => `o${String(i)}`) }),
    );
    const quiz = create({ title: 't'.repeat(200), questions, gemReward: 10_000 });
    expect(quiz.questions).toHaveLength(100);
    expect(create({ gemReward: 0, questions: [trueFalse(0, { points: 1 })] }).gemReward).toBe(0);
  });

  it('stores a page quiz with the id of the page at that order', () => {
    const quiz = create({ trigger: 'page', unitId: oid(102), pageOrder: 3 });
    expect(quiz).toMatchObject({ trigger: 'page', unitId: oid(102), pageId: oid(1023) });
  });

  it('refuses to add quizzes to an archived course', () => {
    domainError(() => createQuiz(courseWith([1], 'archived'), newQuiz(), idSequence()), 'conflict');
  });
});

describe('createQuiz: what is refused', () => {
  it.each<[string, Parameters<typeof newQuiz>[0], { path: string; message: string }[]]>([
    ['an empty title', { title: '  ' }, [{ path: 'title', message: 'must not be empty' }]],
    ['a long title', { title: 't'.repeat(201) }, [{ path: 'title', message: 'must be at most 200 characters' }]],
    ['no questions', { questions: [] }, [{ path: 'questions', message: 'must have 1 to 100 questions' }]],
    [
      '101 questions',
      { questions: Array.from({ length: 101 }, () => single(0)) },
      [{ path: 'questions', message: 'must have 1 to 100 questions' }],
    ],
    ['a negative reward', { gemReward: -1 }, [{ path: 'gemReward', message: 'must be a whole number from 0 to 10000' }]],
    ['a reward above 10,000', { gemReward: 10_001 }, [{ path: 'gemReward', message: 'must be a whole number from 0 to 10000' }]],
    ['a fractional reward', { gemReward: 1.5 }, [{ path: 'gemReward', message: 'must be a whole number from 0 to 10000' }]],
    [
      'an unknown type',
      { questions: [single(0, { type: 'essay' })] },
      [{ path: 'questions/0/type', message: 'must be one of: single, multiple, trueFalse, number' }],
    ],
    [
      'a missing type',
      { questions: [single(0, { type: undefined })] },
      [{ path: 'questions/0/type', message: 'must be one of: single, multiple, trueFalse, number' }],
    ],
    [
      'an empty prompt',
      { questions: [single(0, { prompt: ' ' })] },
      [{ path: 'questions/0/prompt', message: 'must be 1 to 2000 characters' }],
    ],
    ['one option', { questions: [single(0, { options: ['a'] })] }, [{ path: 'questions/0/options', message: 'must have 2 to 10 options' }]],
    [
      'eleven options',
      { questions: [single(0, { options: Array.from({ length: 11 }, () => 'o') })] },
      [{ path: 'questions/0/options', message: 'must have 2 to 10 options' }],
    ],
    [
      'an empty option',
      { questions: [single(0, { options: ['a', ' ', 'c'] })] },
      [{ path: 'questions/0/options/1', message: 'must be 1 to 500 characters' }],
    ],
    [
      'a trueFalse with three options',
      { questions: [trueFalse(0, { options: ['T', 'F', '?'] })] },
      [{ path: 'questions/0/options', message: 'must have exactly 2 options' }],
    ],
    ['an answer out of range', { questions: [single(3)] }, [{ path: 'questions/0/answer/0', message: 'is not the index of an option' }]],
    ['a negative answer', { questions: [single(-1)] }, [{ path: 'questions/0/answer/0', message: 'is not the index of an option' }]],
    [
      'a single with two answers',
      { questions: [single(0, { answer: [0, 1] })] },
      [{ path: 'questions/0/answer', message: 'must name exactly one option' }],
    ],
    [
      'a single with no answer',
      { questions: [single(0, { answer: [] })] },
      [{ path: 'questions/0/answer', message: 'must name exactly one option' }],
    ],
    [
      'a trueFalse with two answers',
      { questions: [trueFalse(0, { answer: [0, 1] })] },
      [{ path: 'questions/0/answer', message: 'must name exactly one option' }],
    ],
    [
      'a multiple with no answer',
      { questions: [multiple([])] },
      [{ path: 'questions/0/answer', message: 'must name at least one option' }],
    ],
    ['a multiple repeating an answer', { questions: [multiple([1, 1])] }, [{ path: 'questions/0/answer/1', message: 'repeats an option' }]],
    [
      '0 points',
      { questions: [single(0, { points: 0 })] },
      [{ path: 'questions/0/points', message: 'must be a whole number from 1 to 100' }],
    ],
    [
      '101 points',
      { questions: [single(0, { points: 101 })] },
      [{ path: 'questions/0/points', message: 'must be a whole number from 1 to 100' }],
    ],
    [
      'a question id that is not an id',
      { questions: [single(0, { id: 'q1' })] },
      [{ path: 'questions/0/id', message: 'must be a 24-character hexadecimal id' }],
    ],
    [
      'two questions with one id',
      { questions: [single(0, { id: oid(5) }), single(1, { id: oid(5) })] },
      [{ path: 'questions/1/id', message: 'repeats the id of questions/0' }],
    ],
    ['no trigger', { trigger: undefined }, [{ path: 'trigger', message: 'must be one of: unit, page' }]],
    ['no unit', { unitId: '' }, [{ path: 'moduleId', message: 'is required' }]],
    ['a unit of another course', { unitId: oid(999) }, [{ path: 'moduleId', message: 'is not a unit of the course' }]],
    ['a page order on a unit quiz', { pageOrder: 1 }, [{ path: 'pageOrder', message: 'is only for page quizzes' }]],
    ['a page quiz without a page', { trigger: 'page' }, [{ path: 'pageOrder', message: 'is required for a page quiz' }]],
    [
      'a page past the last',
      { trigger: 'page', pageOrder: 3 },
      [{ path: 'pageOrder', message: 'must be the order of a page of the unit (it has 2)' }],
    ],
    ['page 0', { trigger: 'page', pageOrder: 0 }, [{ path: 'pageOrder', message: 'must be the order of a page of the unit (it has 2)' }]],
  ])('refuses %s', (_name, input, expected) => {
    expect(issues(() => create(input))).toEqual(expected);
  });

  it('reports every problem at once', () => {
    expect(issues(() => create({ title: '', gemReward: -1, questions: [single(9)], unitId: '' })).map((i) => i.path)).toEqual([
      'title',
      'questions/0/answer/0',
      'gemReward',
      'moduleId',
    ]);
  });
});

describe('updateQuiz', () => {
  const later = new Date('2025-02-01T00:00:00Z');
  const update = (quiz: QuizState, patch: Parameters<typeof updateQuiz>[2]) => updateQuiz(quiz, course, patch, idSequence(0x7000), later);

  it('changes what is set and bumps the version', () => {
    const quiz = quizOf();
    const updated = update(quiz, { title: 'New', gemReward: 3 });
    expect(updated).toEqual({ ...quiz, title: 'New', gemReward: 3, version: 2, updatedAt: later });
  });

  it('returns the quiz itself when nothing changes', () => {
    const quiz = quizOf({ trigger: 'page', unitId: oid(101), pageOrder: 2 });
    expect(update(quiz, {})).toBe(quiz);
    expect(update(quiz, { title: quiz.title, unitId: oid(101) })).toBe(quiz);
  });

  it('replaces the questions, keeping the ids sent and giving new ones to the rest', () => {
    const quiz = quizOf();
    const kept = quiz.questions[0]!.id;
    const updated = update(quiz, { questions: [single(0, { id: kept }), trueFalse(1)] });
    expect(updated.questions.map((q) => q.id)).toEqual([kept, oid(0x7000)]);
  });

  it('moves a unit quiz to a page, and back', () => {
    const quiz = quizOf();
    const onPage = update(quiz, { trigger: 'page', unitId: oid(102), pageOrder: 1 });
    expect(onPage).toMatchObject({ trigger: 'page', unitId: oid(102), pageId: oid(1021), version: 2 });
    const back = update(onPage, { trigger: 'unit' });
    expect(back).toMatchObject({ trigger: 'unit', unitId: oid(102), version: 3 });
    expect(back).not.toHaveProperty('pageId');
  });

  it('moves a page quiz to another page of its unit with the order alone', () => {
    const quiz = quizOf({ trigger: 'page', unitId: oid(102), pageOrder: 1 });
    expect(update(quiz, { pageOrder: 3 }).pageId).toBe(oid(1023));
  });

  it('clears an orphan mark when the quiz is moved to a valid place', () => {
    const orphan: QuizState = { ...quizOf(), markedOrphaned: true };
    expect(update(orphan, { title: 'Still lost' }).markedOrphaned).toBe(true);
    expect(update(orphan, { unitId: oid(102) }).markedOrphaned).toBe(false);
  });

  it('validates like createQuiz', () => {
    expect(issues(() => update(quizOf(), { title: '', questions: [], pageOrder: 1 })).map((i) => i.path)).toEqual([
      'title',
      'questions',
      'pageOrder',
    ]);
  });

  it('refuses changes in an archived course', () => {
    domainError(() => updateQuiz(quizOf(), courseWith([2, 3], 'archived'), { title: 'x' }, idSequence(), later), 'conflict');
  });
});

describe('locate', () => {
  it('shows a unit quiz while its unit exists', () => {
    expect(locate(quizOf(), course)).toEqual({ orphaned: false });
  });

  it("answers a page quiz's current order, following its page through reorders", () => {
    const quiz = quizOf({ trigger: 'page', unitId: oid(102), pageOrder: 1 });
    expect(locate(quiz, course)).toEqual({ orphaned: false, pageOrder: 1 });
    const reordered = { ...course, units: [course.units[0]!, { id: oid(102), pageIds: [oid(1022), oid(1023), oid(1021)] }] };
    expect(locate(quiz, reordered)).toEqual({ orphaned: false, pageOrder: 3 });
  });

  it.each([
    ['its course is gone', quizOf(), undefined],
    ['its unit is gone', quizOf({ unitId: oid(102) }), courseWith([2])],
    [
      'its page is gone',
      quizOf({ trigger: 'page', unitId: oid(102), pageOrder: 3 }),
      { ...course, units: [course.units[0]!, { id: oid(102), pageIds: [oid(1021)] }] },
    ],
    ['the data marks it so', { ...quizOf(), markedOrphaned: true }, course],
  ])('calls a quiz orphaned when %s', (_name, quiz, at) => {
    expect(locate(quiz, at)).toEqual({ orphaned: true });
  });

  it('places a migrated page quiz that has only a position at the page now there', () => {
    const { pageId: _pageId, ...rest } = quizOf({ trigger: 'page', unitId: oid(102), pageOrder: 1 });
    expect(locate({ ...rest, legacyPageOrder: 2 }, course)).toEqual({ orphaned: false, pageOrder: 2 });
    expect(locate({ ...rest, legacyPageOrder: 4 }, course)).toEqual({ orphaned: true });
    expect(locate(rest, course)).toEqual({ orphaned: true });
  });
});
