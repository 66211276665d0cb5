import { api, user } from '../support/api';

describe('GET /api/flags', () => {
  test('answers the three flags as booleans, for anonymous and authenticated callers', async () => {
    for (const as of [undefined, await user('student'), await user('admin')]) {
      const response = await api('GET', '/api/flags', { as });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        STRUCTURED_COURSES_ENABLED: true,
        PAGE_QUIZZES_ENABLED: true,
        USE_MODULES_TERMINOLOGY: false,
      });
    }
  });
});
