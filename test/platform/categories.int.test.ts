import { api, expectProblem, uniqueName, user } from '../support/api';

describe('categories', () => {
  test('an admin creates a category: 201 { id, name }, listed afterwards', async () => {
    const name = uniqueName('Algebra');
    const created = await api('POST', '/api/categories', { as: await user('admin'), body: { name } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), name });

    const all: { id: string; name: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api('GET', `/api/categories?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all).toContainEqual({ id: created.body.id, name });
  });

  test('names are unique after trimming and lower-casing: 409', async () => {
    const admin = await user('admin');
    const name = uniqueName('Math');
    expect((await api('POST', '/api/categories', { as: admin, body: { name } })).status).toBe(201);
    for (const variant of [`  ${name}  `, name.toUpperCase(), name.toLowerCase()]) {
      expectProblem(await api('POST', '/api/categories', { as: admin, body: { name: variant } }), 409);
    }
  });

  test('concurrent creations of one name: exactly one 201, the rest 409', async () => {
    const admin = await user('admin');
    const name = uniqueName('Race');
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api('POST', '/api/categories', { as: admin, body: { name: i % 2 ? name.toUpperCase() : name } }),
      ),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(9);
  });

  test('a blank or too long name is 400', async () => {
    const admin = await user('admin');
    expectProblem(await api('POST', '/api/categories', { as: admin, body: { name: '   ' } }), 400);
    expectProblem(await api('POST', '/api/categories', { as: admin, body: { name: 'x'.repeat(101) } }), 400);
    expectProblem(await api('POST', '/api/categories', { as: admin, body: {} }), 400);
  });

  test('a name of only invisible characters is 400 naming it; invisible edges are trimmed as names are compared', async () => {
    const admin = await user('admin');
    for (const name of ['\u200b', '\u200b\u200c\u200d\u2060\ufeff', ' \u200b \u00ad ']) {
      const answer = await api('POST', '/api/categories', { as: admin, body: { name } });
      expectProblem(answer, 400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ path: expect.stringMatching(/name$/), message: 'must not be empty' })]);
    }
    const name = uniqueName('Visible');
    const created = await api('POST', '/api/categories', { as: admin, body: { name: `\u200b${name}\u2060` } });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe(name);
    expectProblem(await api('POST', '/api/categories', { as: admin, body: { name } }), 409);
  });

  test('pages follow the cursor without repeats', async () => {
    const admin = await user('admin');
    await Promise.all(Array.from({ length: 5 }, () => api('POST', '/api/categories', { as: admin, body: { name: uniqueName('paged') } })));
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await api('GET', `/api/categories?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      for (const item of page.body.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen.size).toBeGreaterThanOrEqual(5);
    expect(pages).toBeGreaterThanOrEqual(3);
  });
});
