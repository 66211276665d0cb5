import { user, type TestUser } from './api';
import { must, newCategory, newCourse, newPage, newUnit } from './content';
import { quizBody } from './quiz';

/** One unit of a course to build. */
export interface UnitSpec {
  pages?: number;
  /** One page quiz per entry: the page order it follows. Quizzes are created in this order. */
  pageQuizzes?: number[];
  unitQuizzes?: number;
}

export interface LabelledCourse {
  courseId: string;
  categoryId: string;
  unitIds: string[];
  /** Quiz ids by their label (their title). */
  quizIds: Map<string, string>;
  /** The author view of each quiz, by label: it has the answers. */
  quizzes: Map<string, any>;
  admin: TestUser;
}

const letter = (index: number) => String.fromCharCode('a'.charCodeAt(0) + index);

/**
 * A published course whose titles name where things are, so that a walk reads as a list of labels:
 * pages `P<unit>.<page>`, page quizzes `Q<unit>.<page><a, b, …>`, unit quizzes `Q<unit><a, b, …>`
 * (units and pages 1-based, letters in creation order).
 */
export async function labelledCourse(units: readonly UnitSpec[], options: { gemReward?: number } = {}): Promise<LabelledCourse> {
  const admin = await user('admin');
  const categoryId = await newCategory();
  const { id: courseId } = await newCourse(admin, categoryId);
  const unitIds: string[] = [];
  for (const [u, spec] of units.entries()) {
    const { id: unitId } = await newUnit(admin, courseId, { title: `U${u + 1}` });
    unitIds.push(unitId);
    for (let p = 1; p <= (spec.pages ?? 0); p += 1) await newPage(admin, courseId, unitId, { title: `P${u + 1}.${p}` });
  }
  const quizzes = new Map<string, any>();
  const create = async (label: string, placement: { moduleId: string; trigger: 'unit' | 'page'; pageOrder?: number }) => {
    const body = { ...quizBody({ courseId, gemReward: options.gemReward, ...placement }), title: label };
    quizzes.set(label, await must(201, 'POST', '/api/quizzes', { as: admin, body }));
  };
  for (const [u, spec] of units.entries()) {
    const moduleId = unitIds[u]!;
    const perPage = new Map<number, number>();
    for (const pageOrder of spec.pageQuizzes ?? []) {
      const index = perPage.get(pageOrder) ?? 0;
      perPage.set(pageOrder, index + 1);
      await create(`Q${u + 1}.${pageOrder}${letter(index)}`, { moduleId, trigger: 'page', pageOrder });
    }
    for (let q = 0; q < (spec.unitQuizzes ?? 0); q += 1) await create(`Q${u + 1}${letter(q)}`, { moduleId, trigger: 'unit' });
  }
  await must(200, 'POST', `/api/courses/${courseId}/publish`, { as: admin });
  const quizIds = new Map([...quizzes].map(([label, quiz]) => [label, quiz.id as string]));
  return { courseId, categoryId, unitIds, quizIds, quizzes, admin };
}

/** A page quiz's label, as `labelledCourse` names them. */
export const isPageQuizLabel = (label: string) => /^Q\d+\.\d+[a-z]$/.test(label);

/** The query that asks for the item after `item`. */
export const afterQuery = (item: { type: string; unitId?: string; pageOrder?: number; quizId?: string }) =>
  item.type === 'page' ? `?unitId=${item.unitId}&pageOrder=${item.pageOrder}` : `?quizId=${item.quizId}`;

/** Follows `next` from the course's first item to `end`; answers every item met, in order. */
export async function walk(courseId: string, as: TestUser, baseUrl?: string): Promise<any[]> {
  const items: any[] = [];
  let query = '';
  for (let step = 0; step < 200; step += 1) {
    const item = await must(200, 'GET', `/api/courses/${courseId}/next${query}`, { as, baseUrl });
    if (item.type === 'end') return items;
    items.push(item);
    query = afterQuery(item);
  }
  throw new Error(`no end after 200 items: ${JSON.stringify(items.map((item) => item.title))}`);
}
