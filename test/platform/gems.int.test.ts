import { api, expectProblem, newId, user } from '../support/api';
import { expectStatus, must, newCourseTree } from '../support/content';
import { correctAnswers, newQuiz, submit } from '../support/quiz';

describe('gems', () => {
  test('GET /api/gems/me: a student who earned nothing has 0 and no history; first attempts add one grant each', async () => {
    const student = await user('student');
    const res = await api('GET', '/api/gems/me', { as: student });
    expectStatus(res, 200);
    expect(res.body).toEqual({ userId: student.sub, earnedGems: 0, history: [] });
    expect(res.headers.get('cache-control')).toBe('no-store');

    const tree = await newCourseTree({ units: 1, pages: 0, published: true });
    const [a, b] = [
      await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]!, gemReward: 10 }),
      await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]!, gemReward: 4 }),
    ];
    expectStatus(await submit(student, a.id, correctAnswers(a)), 201);
    expectStatus(await submit(student, b.id, correctAnswers(b)), 201);
    expectStatus(await submit(student, b.id, correctAnswers(b)), 201);
    const balance = await must(200, 'GET', '/api/gems/me', { as: student });
    expect(balance).toEqual({
      userId: student.sub,
      earnedGems: 14,
      history: [
        { id: expect.any(String), amount: 4, source: `quiz:${b.id}`, reason: 'first attempt', grantedAt: expect.any(String) },
        { id: expect.any(String), amount: 10, source: `quiz:${a.id}`, reason: 'first attempt', grantedAt: expect.any(String) },
      ],
    });
    // The admin route answers the same for that user; `limit` cuts the history (newest first).
    expect(await must(200, 'GET', `/api/users/${student.sub}/gems`, { as: await user('admin') })).toEqual(balance);
    expect((await must(200, 'GET', `/api/users/${student.sub}/gems?limit=1`, { as: await user('admin') })).history).toEqual(
      balance.history.slice(0, 1),
    );
  });

  test('GET /api/gems/me works for any signed-in user; anonymous is 401', async () => {
    for (const role of ['admin', 'subadmin'] as const) {
      const as = await user(role);
      expect(await must(200, 'GET', '/api/gems/me', { as })).toEqual({ userId: as.sub, earnedGems: 0, history: [] });
    }
    expectProblem(await api('GET', '/api/gems/me'), 401);
  });

  test('GET /api/users/:userId/gems: admins only (401, 403); any 24-hex id answers, others are 400', async () => {
    const target = newId();
    expectProblem(await api('GET', `/api/users/${target}/gems`), 401);
    for (const as of [await user('student'), await user('subadmin', [newId()])])
      expectProblem(await api('GET', `/api/users/${target}/gems`, { as }), 403);
    // A student asking for their own balance through the admin route is still refused: the route is for admins.
    const student = await user('student');
    expectProblem(await api('GET', `/api/users/${student.sub}/gems`, { as: student }), 403);
    expect(await must(200, 'GET', `/api/users/${target.toUpperCase()}/gems`, { as: await user('admin') })).toEqual({
      userId: target,
      earnedGems: 0,
      history: [],
    });
    const bad = await api('GET', '/api/users/me/gems', { as: await user('admin') });
    expectProblem(bad, 400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'params/userId' })]);
  });

  test('bad queries are 400', async () => {
    const admin = await user('admin');
    for (const path of [
      '/api/gems/me?limit=0',
      '/api/gems/me?limit=501',
      '/api/gems/me?userId=' + newId(),
      '/api/gems/me?$where=1',
      `/api/users/${newId()}/gems?limit=x`,
    ]) {
      expectProblem(await api('GET', path, { as: admin }), 400);
    }
  });
});
