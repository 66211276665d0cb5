// A gateway in memory, for comparing the engines: it answers the paths the
// journeys use the way the real one does (ids, `next`, status codes), and
// remembers what setup and the authors created.
export interface FakeReply {
  status: number;
  body: unknown;
}

interface FakeCourse {
  id: string;
  units: { id: string; pages: number }[];
  quizzes: { id: string; unitId: string; trigger: 'unit' | 'page'; pageOrder?: number }[];
}

const QUESTIONS = [
  { id: 'q1', type: 'single', prompt: '?', options: ['a', 'b', 'c'], points: 1 },
  { id: 'q2', type: 'multiple', prompt: '?', options: ['a', 'b', 'c', 'd'], points: 1 },
  { id: 'q3', type: 'trueFalse', prompt: '?', options: ['true', 'false'], points: 1 },
];

export function fakeGateway(): (method: string, path: string, body: unknown) => FakeReply {
  let counter = 0;
  const newId = () => (counter += 1).toString(16).padStart(24, '0');
  const courses = new Map<string, FakeCourse>();
  const quizCourse = new Map<string, FakeCourse>();

  /** The course's items in `next` order: its pages, a page quiz after its page, a unit quiz after the unit. */
  const items = (course: FakeCourse) =>
    course.units.flatMap((unit) => [
      ...Array.from({ length: unit.pages }, (_, p) => [
        { type: 'page', unitId: unit.id, pageOrder: p + 1, title: `Page ${p + 1}` },
        ...course.quizzes
          .filter((q) => q.unitId === unit.id && q.trigger === 'page' && q.pageOrder === p + 1)
          .map((q) => ({ type: 'quiz', quizId: q.id, unitId: unit.id, title: 'quiz' })),
      ]).flat(),
      ...course.quizzes
        .filter((q) => q.unitId === unit.id && q.trigger === 'unit')
        .map((q) => ({ type: 'quiz', quizId: q.id, unitId: unit.id, title: 'quiz' })),
    ]);

  return (method, path, body) => {
    const url = new URL(path, 'http://fake');
    const parts = url.pathname.split('/').filter(Boolean);
    const input = (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, any> | undefined;
    const route = `${method} /${parts.map((part) => (/^[0-9a-f]{24}$/.test(part) || /^\d+$/.test(part) ? ':id' : part)).join('/')}`;
    const course = courses.get(parts[2] ?? '');
    switch (route) {
      case 'GET /ready':
        return { status: 200, body: { status: 'ready' } };
      case 'POST /api/categories':
        return { status: 201, body: { id: newId(), name: input?.name } };
      case 'POST /api/courses': {
        const created: FakeCourse = { id: newId(), units: [], quizzes: [] };
        courses.set(created.id, created);
        return { status: 201, body: { id: created.id } };
      }
      case 'GET /api/courses':
        return { status: 200, body: { items: [...courses.values()].map((c) => ({ id: c.id })), nextCursor: null } };
      case 'GET /api/courses/:id':
        return course
          ? { status: 200, body: { id: course.id, units: course.units.map((unit) => ({ id: unit.id, pageCount: unit.pages })) } }
          : { status: 404, body: {} };
      case 'POST /api/courses/:id/units': {
        const unit = { id: newId(), pages: 0 };
        course!.units.push(unit);
        return { status: 201, body: { id: unit.id } };
      }
      case 'POST /api/courses/:id/units/:id/pages': {
        const unit = course!.units.find((u) => u.id === parts[4])!;
        unit.pages += 1;
        return { status: 201, body: { id: newId(), pageOrder: unit.pages } };
      }
      case 'POST /api/quizzes': {
        const owner = courses.get(input!.courseId)!;
        const quiz = {
          id: newId(),
          unitId: input!.moduleId,
          trigger: input!.trigger,
          ...(input!.pageOrder ? { pageOrder: input!.pageOrder } : {}),
        };
        owner.quizzes.push(quiz);
        quizCourse.set(quiz.id, owner);
        return { status: 201, body: { id: quiz.id } };
      }
      case 'POST /api/courses/:id/publish':
        return { status: 200, body: { id: course!.id, status: 'published' } };
      case 'GET /api/courses/:id/next': {
        const all = items(course!);
        const quizId = url.searchParams.get('quizId');
        const unitId = url.searchParams.get('unitId');
        const pageOrder = Number(url.searchParams.get('pageOrder'));
        const at = quizId
          ? all.findIndex((item: any) => item.quizId === quizId)
          : unitId
            ? all.findIndex((item: any) => item.unitId === unitId && item.pageOrder === pageOrder)
            : -1;
        return { status: 200, body: all[at + 1] ?? { type: 'end' } };
      }
      case 'GET /api/courses/:id/units/:id/pages/:id':
        return { status: 200, body: { id: newId(), pageOrder: Number(parts[6]), title: 'page', blocks: [] } };
      case 'POST /api/courses/:id/progress':
        return { status: 200, body: { completedPages: 1 } };
      case 'GET /api/courses/:id/progress':
        return { status: 200, body: { completedPages: 1, totalPages: 20, percent: 5 } };
      case 'GET /api/quizzes/:id':
        return quizCourse.has(parts[2]!) ? { status: 200, body: { id: parts[2], questions: QUESTIONS } } : { status: 404, body: {} };
      case 'POST /api/quizzes/:id/attempts':
        return { status: 201, body: { attemptNumber: 1, score: 1, maxScore: 3, passed: false, firstAttempt: true, gemsAwarded: 3 } };
      case 'GET /api/gems/me':
        return { status: 200, body: { earnedGems: 3, history: [] } };
      default:
        return { status: 404, body: { title: `fake gateway: no route ${route}` } };
    }
  };
}
