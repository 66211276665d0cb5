import { api, uniqueName, user, type ApiResponse, type RequestOptions, type TestUser } from './api';

/** Asserts a status, showing the body when it differs (a bare status mismatch says too little). */
export function expectStatus(response: ApiResponse, status: number): void {
  expect({ status: response.status, body: response.body }).toEqual(expect.objectContaining({ status }));
}

/** `api` that must answer `status`; returns the body. */
export async function must<T = any>(status: number, method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await api<T>(method, path, options);
  expectStatus(response, status);
  return response.body;
}

export const markdown = (text: string) => ({ type: 'markdown', markdown: text });

export async function newCategory(): Promise<string> {
  return (await newNamedCategory()).id;
}

export async function newNamedCategory(): Promise<{ id: string; name: string }> {
  return must(201, 'POST', '/api/categories', { as: await user('admin'), body: { name: uniqueName('category') } });
}

export async function newCourse(as: TestUser, categoryId: string, extra: Record<string, unknown> = {}): Promise<any> {
  return must(201, 'POST', '/api/courses', {
    as,
    body: { title: uniqueName('course'), categoryId, structure: { unitType: 'module' }, ...extra },
  });
}

export async function newUnit(as: TestUser, courseId: string, extra: Record<string, unknown> = {}): Promise<any> {
  return must(201, 'POST', `/api/courses/${courseId}/units`, { as, body: { title: uniqueName('unit'), ...extra } });
}

export async function newPage(as: TestUser, courseId: string, unitId: string, extra: Record<string, unknown> = {}): Promise<any> {
  const title = uniqueName('page');
  return must(201, 'POST', `/api/courses/${courseId}/units/${unitId}/pages`, {
    as,
    body: { title, blocks: [markdown(`# ${title}`)], ...extra },
  });
}

export interface CourseTree {
  courseId: string;
  categoryId: string;
  unitIds: string[];
  /** Per unit, its page ids in order. */
  pageIds: string[][];
}

/** A course with `units` units of `pages` pages each, published or not, made by a fresh admin. */
export async function newCourseTree(
  options: { categoryId?: string; units?: number; pages?: number; published?: boolean } = {},
): Promise<CourseTree> {
  const admin = await user('admin');
  const categoryId = options.categoryId ?? (await newCategory());
  const course = await newCourse(admin, categoryId);
  const unitIds: string[] = [];
  const pageIds: string[][] = [];
  for (let u = 0; u < (options.units ?? 2); u += 1) {
    const unit = await newUnit(admin, course.id);
    unitIds.push(unit.id);
    const pages: string[] = [];
    for (let p = 0; p < (options.pages ?? 2); p += 1) pages.push((await newPage(admin, course.id, unit.id)).id);
    pageIds.push(pages);
  }
  if (options.published) await must(200, 'POST', `/api/courses/${course.id}/publish`, { as: admin });
  return { courseId: course.id, categoryId, unitIds, pageIds };
}

/** Everything a client can read of a course, as an admin sees it: for "nothing changed" checks. */
export async function readTree(courseId: string): Promise<unknown> {
  const admin = await user('admin');
  const course = await must(200, 'GET', `/api/courses/${courseId}`, { as: admin });
  const units = await Promise.all(
    course.units.map(async (unit: { id: string; pageCount: number }) => ({
      unit: await must(200, 'GET', `/api/courses/${courseId}/units/${unit.id}`, { as: admin }),
      pages: await Promise.all(
        Array.from({ length: unit.pageCount }, (_, i) =>
          must(200, 'GET', `/api/courses/${courseId}/units/${unit.id}/pages/${i + 1}`, { as: admin }),
        ),
      ),
    })),
  );
  return { course, units };
}
