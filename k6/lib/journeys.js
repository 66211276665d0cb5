// The journeys of the load test, written once for both engines: k6
// (scenarios/*.js) and the Node engine (engine/), which drive them the same
// way. A journey is a generator: it yields a request, gets its response back
// from `yield`, and decides the next request from it. It uses no k6 and no
// Node API, and its only randomness is the seeded generator it is given, so
// the same seed and the same responses give the same requests in both.

/**
 * @typedef {{ name: string, method: string, path: string, token?: string, body?: unknown, thinkSeconds: number }} Step
 * @typedef {{ status: number, body: any }} Reply
 * @typedef {Generator<Step, void, Reply>} Journey
 * @typedef {{ courseId: string, categoryId: string, studentTokens: string[], authorToken: string, thinkSeconds: number }} RunData
 */

/** Pages and quizzes one walk visits at most: a course of any size ends the iteration in bounded time. */
export const MAX_WALK_STEPS = 40;

/** The course setup() makes: 5 units of 4 pages, a quiz after each unit, one after the first page. */
export const FIXTURE = { units: 5, pagesPerUnit: 4, gemReward: 10 };

/** mulberry32: small, fast, and the same numbers in every JavaScript engine. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One seed per virtual user and iteration, so runs and engines can be compared step by step. */
export function iterationSeed(runSeed, vu, iteration) {
  return (Math.imul(runSeed >>> 0, 2654435761) ^ Math.imul(vu + 1, 40503) ^ Math.imul(iteration + 1, 9973)) >>> 0;
}

/** A user id (24 hex digits) for the n-th load-test student: stable across runs, so a rerun reuses its users. */
export function studentId(n) {
  return `10ad7e57${n.toString(16).padStart(16, '0')}`;
}

export const AUTHOR_ID = '10ad7e570000a0000000a000';

/** The claims of a test user's token; the engines sign them with JWT_SECRET. */
export function claims(sub, role, nowSeconds) {
  return { sub, role, iat: nowSeconds, exp: nowSeconds + 12 * 3600 };
}

const think = (random, base) => base * (0.5 + random());

/**
 * A student: browse, open a course, walk it with `next` (reading each page,
 * marking it, taking each quiz), then read gems and progress. Stops at the
 * first unexpected answer: a failed request is counted, its consequences
 * are not.
 *
 * @param {RunData} data
 * @param {() => number} random
 * @param {string} token
 * @returns {Journey}
 */
export function* studentJourney(data, random, token) {
  const pause = () => think(random, data.thinkSeconds);
  const get = (name, path) => ({ name, method: 'GET', path, token, thinkSeconds: pause() });
  const post = (name, path, body) => ({ name, method: 'POST', path, token, body, thinkSeconds: pause() });

  const list = yield get('list courses', '/api/courses?status=published&limit=20');
  if (list.status !== 200) return;
  const course = `/api/courses/${data.courseId}`;
  const opened = yield get('open course', course);
  if (opened.status !== 200) return;

  let next = yield get('first item', `${course}/next`);
  for (let step = 0; step < MAX_WALK_STEPS && next.status === 200 && next.body?.type !== 'end'; step += 1) {
    const item = next.body;
    if (item.type === 'page') {
      const page = yield get('read page', `${course}/units/${item.unitId}/pages/${item.pageOrder}`);
      if (page.status !== 200) return;
      const marked = yield post('mark page viewed', `${course}/progress`, { unitId: item.unitId, pageOrder: item.pageOrder });
      if (marked.status >= 300) return;
      next = yield get('next item', `${course}/next?unitId=${item.unitId}&pageOrder=${item.pageOrder}`);
    } else if (item.type === 'quiz') {
      const quiz = yield get('open quiz', `/api/quizzes/${item.quizId}`);
      if (quiz.status !== 200) return;
      const attempt = yield post('submit attempt', `/api/quizzes/${item.quizId}/attempts`, {
        answers: guesses(quiz.body.questions ?? [], random),
      });
      if (attempt.status !== 201) return;
      next = yield get('next item', `${course}/next?quizId=${item.quizId}`);
    } else {
      return;
    }
  }
  yield get('read gems', '/api/gems/me');
  yield get('read progress', `${course}/progress`);
}

/** Reads one reader makes per iteration. */
export const READS_PER_ITERATION = 20;

/**
 * A reader (the `reading` scenario): opens the course, then reads random
 * pages of it, going back to the course now and then: the reads every
 * student makes, without the writes.
 *
 * @param {RunData} data
 * @param {() => number} random
 * @param {string} token
 * @returns {Journey}
 */
export function* readerJourney(data, random, token) {
  const get = (name, path) => ({ name, method: 'GET', path, token, thinkSeconds: think(random, data.thinkSeconds) });
  const course = `/api/courses/${data.courseId}`;
  const opened = yield get('open course', course);
  if (opened.status !== 200) return;
  const units = (opened.body?.units ?? []).filter((unit) => unit.pageCount > 0);
  for (let read = 0; read < READS_PER_ITERATION && units.length > 0; read += 1) {
    if (random() < 0.2) {
      if ((yield get('open course', course)).status !== 200) return;
      continue;
    }
    const unit = units[Math.floor(random() * units.length)];
    const pageOrder = 1 + Math.floor(random() * unit.pageCount);
    if ((yield get('read page', `${course}/units/${unit.id}/pages/${pageOrder}`)).status !== 200) return;
  }
}

/**
 * An author: a course of their own in the load-test category, a unit with
 * three pages and a quiz, published, read back.
 *
 * @param {RunData} data
 * @param {() => number} random
 * @returns {Journey}
 */
export function* authorJourney(data, random) {
  const token = data.authorToken;
  const pause = () => think(random, data.thinkSeconds);
  const send = (name, method, path, body) => ({ name, method, path, token, body, thinkSeconds: pause() });

  const created = yield send('create course', 'POST', '/api/courses', {
    title: `Load course ${Math.floor(random() * 1e9)}`,
    categoryId: data.categoryId,
    structure: { unitType: 'unit' },
  });
  if (created.status !== 201) return;
  const course = `/api/courses/${created.body.id}`;
  const unit = yield send('create unit', 'POST', `${course}/units`, { title: 'Unit 1' });
  if (unit.status !== 201) return;
  for (let n = 1; n <= 3; n += 1) {
    const page = yield send('create page', 'POST', `${course}/units/${unit.body.id}/pages`, pageBody(`Page ${n}`));
    if (page.status !== 201) return;
  }
  const quiz = yield send('create quiz', 'POST', '/api/quizzes', quizBody(created.body.id, unit.body.id, 'unit', undefined));
  if (quiz.status !== 201) return;
  const published = yield send('publish course', 'POST', `${course}/publish`, undefined);
  if (published.status !== 200) return;
  yield send('read course', 'GET', course, undefined);
}

/**
 * What setup() does before any user starts: refuse a target that is not
 * ready, then make the course the students walk. Returns through the
 * generator's result: `{ categoryId, courseId }`.
 *
 * @param {string} adminToken
 * @param {string} runId
 * @returns {Generator<Step, { categoryId: string, courseId: string }, Reply>}
 */
export function* setupFixture(adminToken, runId) {
  const step = (name, method, path, body) => ({ name, method, path, token: adminToken, body, thinkSeconds: 0 });
  const expect = (reply, status, what) => {
    if (reply.status !== status) throw new Error(`setup: ${what} answered ${reply.status}, not ${status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  };

  const ready = yield { name: 'ready', method: 'GET', path: '/ready', thinkSeconds: 0 };
  if (ready.status !== 200) throw new Error(`setup: the target is not ready (GET /ready answered ${ready.status}); refusing to start`);
  const category = expect(
    yield step('create category', 'POST', '/api/categories', { name: `load test ${runId}` }),
    201,
    'creating the category',
  );
  const course = expect(
    yield step('create course', 'POST', '/api/courses', {
      title: `Load test course ${runId}`,
      categoryId: category.id,
      structure: { unitType: 'unit' },
    }),
    201,
    'creating the course',
  );
  const base = `/api/courses/${course.id}`;
  for (let u = 1; u <= FIXTURE.units; u += 1) {
    const unit = expect(yield step('create unit', 'POST', `${base}/units`, { title: `Unit ${u}` }), 201, 'creating a unit');
    for (let p = 1; p <= FIXTURE.pagesPerUnit; p += 1) {
      expect(yield step('create page', 'POST', `${base}/units/${unit.id}/pages`, pageBody(`Page ${u}.${p}`)), 201, 'creating a page');
    }
    expect(yield step('create quiz', 'POST', '/api/quizzes', quizBody(course.id, unit.id, 'unit', undefined)), 201, 'creating a unit quiz');
    if (u === 1)
      expect(yield step('create quiz', 'POST', '/api/quizzes', quizBody(course.id, unit.id, 'page', 1)), 201, 'creating a page quiz');
  }
  expect(yield step('publish course', 'POST', `${base}/publish`, undefined), 200, 'publishing the course');
  return { categoryId: category.id, courseId: course.id };
}

function pageBody(title) {
  return {
    title,
    blocks: [
      { type: 'markdown', markdown: `# ${title}\n\n${'A paragraph of course text for the load test. '.repeat(12)}` },
      { type: 'callout', tone: 'info', markdown: 'Remember this.' },
    ],
  };
}

function quizBody(courseId, unitId, trigger, pageOrder) {
  return {
    courseId,
    trigger,
    moduleId: unitId,
    ...(pageOrder === undefined ? {} : { pageOrder }),
    title: trigger === 'page' ? 'Page check' : 'Unit check',
    gemReward: FIXTURE.gemReward,
    questions: [
      { type: 'single', prompt: 'Two plus two?', options: ['3', '4', '5'], answer: 1 },
      { type: 'multiple', prompt: 'Even numbers?', options: ['1', '2', '4'], answer: [1, 2] },
      { type: 'trueFalse', prompt: 'The sky is green.', options: ['true', 'false'], answer: 1 },
    ],
  };
}

/** A student's answers: one random option per question (a random pair for multiple choice). */
function guesses(questions, random) {
  return questions.map((question) => {
    const pick = () => Math.floor(random() * question.options.length);
    return { questionId: question.id, selected: question.type === 'multiple' ? [...new Set([pick(), pick()])].sort() : pick() };
  });
}
