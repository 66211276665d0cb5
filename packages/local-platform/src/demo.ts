/** A small demo course with a page quiz and a unit quiz, loaded through the public API as an admin's frontend would. */
export interface Demo {
  categoryId: string;
  courseId: string;
  summary: string[];
}

type Json = Record<string, unknown>;

/** The id of what a POST created. */
function idOf(created: Json, what: string): string {
  if (typeof created.id !== 'string') throw new Error(`demo: the created ${what} has no id: ${JSON.stringify(created)}`);
  return created.id;
}

async function call(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}

async function must(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<Json> {
  const response = await call(baseUrl, token, method, path, body);
  if (response.status >= 300) throw new Error(`demo: ${method} ${path} answered ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

const units = [
  {
    title: 'Getting started',
    pages: [
      { title: 'Welcome', blocks: [{ type: 'markdown', markdown: '# Welcome\n\nThis demo course shows units, pages and quizzes.' }] },
      {
        title: 'How this course works',
        blocks: [
          { type: 'markdown', markdown: 'Each unit is a sequence of pages. Quizzes follow a unit or a page.' },
          { type: 'callout', tone: 'info', markdown: 'Your **first** attempt at a quiz earns gems.' },
        ],
      },
    ],
  },
  {
    title: 'Fractions',
    pages: [
      { title: 'What is a fraction?', blocks: [{ type: 'markdown', markdown: 'A fraction is a part of a whole: **a/b**.' }] },
      {
        title: 'Adding fractions',
        blocks: [
          { type: 'markdown', markdown: '1/4 + 1/4 = 2/4 = 1/2' },
          { type: 'embed', url: 'https://example.org/fractions' },
        ],
      },
    ],
  },
];

/** Idempotent enough for repeated `make dev` on one database: the category is reused, a new course is added. */
export async function loadDemo(baseUrl: string, adminToken: string): Promise<Demo> {
  const created = await call(baseUrl, adminToken, 'POST', '/api/categories', { name: 'Demo' });
  let categoryId = created.body.id as string | undefined;
  if (created.status === 409) {
    const list = await must(baseUrl, adminToken, 'GET', '/api/categories?limit=100');
    categoryId = (list.items as { id: string; name: string }[]).find((c) => c.name.toLowerCase() === 'demo')?.id;
  }
  if (!categoryId) throw new Error(`could not create the demo category: ${created.status} ${JSON.stringify(created.body)}`);

  const courseId = idOf(
    await must(baseUrl, adminToken, 'POST', '/api/courses', {
      title: 'Demo: structured courses',
      description: 'A small course to try the platform with.',
      categoryId,
      structure: { unitType: 'unit' },
    }),
    'course',
  );
  const unitIds: string[] = [];
  for (const unit of units) {
    const unitId = idOf(await must(baseUrl, adminToken, 'POST', `/api/courses/${courseId}/units`, { title: unit.title }), 'unit');
    unitIds.push(unitId);
    for (const page of unit.pages) {
      await must(baseUrl, adminToken, 'POST', `/api/courses/${courseId}/units/${unitId}/pages`, page);
    }
  }
  await must(baseUrl, adminToken, 'POST', '/api/quizzes', {
    courseId,
    trigger: 'page',
    moduleId: unitIds[1],
    pageOrder: 1,
    title: 'Check: what is a fraction?',
    gemReward: 5,
    questions: [{ type: 'trueFalse', prompt: '1/2 is a fraction.', options: ['true', 'false'], answer: 0 }],
  });
  await must(baseUrl, adminToken, 'POST', '/api/quizzes', {
    courseId,
    trigger: 'unit',
    moduleId: unitIds[1],
    title: 'Fractions quiz',
    gemReward: 20,
    questions: [
      { type: 'single', prompt: '1/4 + 1/4 = ?', options: ['1/8', '1/2', '2/8'], answer: 1, points: 2 },
      { type: 'multiple', prompt: 'Which equal one half?', options: ['2/4', '3/6', '2/3'], answer: [0, 1] },
    ],
  });
  await must(baseUrl, adminToken, 'POST', `/api/courses/${courseId}/publish`);
  return {
    categoryId,
    courseId,
    summary: [`demo category "Demo" ${categoryId}`, `demo course ${courseId}: ${baseUrl}/api/courses/${courseId}`],
  };
}
