import { api, expectProblem, gatewayUrl, newId, uniqueName, user, type TestUser } from '../support/api';
import { newCourseTree } from '../support/content';
import { startGateway } from '../support/gateway';

/** Every item of a list, page after page. */
async function everyItem(path: string, as?: TestUser): Promise<Array<Record<string, string>>> {
  const items: Array<Record<string, string>> = [];
  for (let cursor: string | undefined = ''; cursor !== undefined;) {
    const page: { status: number; body: { items: Array<Record<string, string>>; nextCursor: string | null } } = await api(
      'GET',
      `${path}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { as },
    );
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor ?? undefined;
  }
  return items;
}

describe('the gateway edge', () => {
  test('GET /health answers while the process lives', async () => {
    const response = await api('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  test('GET /ready is 200 with every dependency checked', async () => {
    // Like a kubelet's probe, allowed to fail twice: with another platform starting on the machine, a check can miss its second.
    let response = await api('GET', '/ready');
    for (let failures = 1; response.status !== 200 && failures < 3; failures += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      response = await api('GET', '/ready');
    }
    expect({ status: response.status, detail: response.body.detail, checks: response.body.checks }).toEqual({
      status: 200,
      detail: undefined,
      checks: { content: 'ok', database: 'ok', gems: 'ok', media: 'ok', quiz: 'ok' },
    });
  });

  test('GET /metrics is Prometheus text with HTTP and gRPC client series', async () => {
    await api('GET', '/api/categories');
    const response = await api('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/http_server_requests_total\{[^}]*route="\/api\/categories"[^}]*\} \d+/);
    expect(response.text).toMatch(/grpc_client_handled_total\{[^}]*grpc_method="ListCategories"[^}]*grpc_code="OK"/);
  });

  test('GET /openapi.json documents the operations and the problem shape', async () => {
    const response = await api('GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\.1/);
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/api/flags', '/api/categories']));
    expect(response.body.paths['/api/categories'].post.responses['400'].content['application/problem+json']).toBeDefined();
    expect(response.body.components.schemas.Problem).toBeDefined();
  });

  test('GET /docs is a readable page', async () => {
    const response = await fetch(`${gatewayUrl()}/docs/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/swagger-ui/i);
  });

  test('security headers are set: an API answer may not run, be framed or be sniffed; the docs page keeps the page policy', async () => {
    for (const path of ['/health', '/api/courses', '/api/no-such-thing']) {
      const response = await api('GET', path);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
    const docs = await fetch(`${gatewayUrl()}/docs/`);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(docs.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  test('an unknown path is a 404 problem', async () => {
    expectProblem(await api('GET', '/api/no-such-thing'), 404);
  });

  describe('authentication', () => {
    test('a protected operation without a token is 401 with WWW-Authenticate', async () => {
      const response = await api('POST', '/api/categories', { body: { name: uniqueName('cat') } });
      expectProblem(response, 401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    });

    test('a malformed Authorization header is 401', async () => {
      expectProblem(await api('GET', '/api/categories', { headers: { authorization: 'Basic abc' } }), 401);
    });

    test('a token signed with another secret is 401, even on a public route', async () => {
      const { signToken } = await import('@testmancer/shared');
      const forged = await signToken({ sub: newId(), role: 'admin' }, 'another-secret-that-is-long-enough-to-sign');
      expectProblem(await api('GET', '/api/categories', { headers: { authorization: `Bearer ${forged}` } }), 401);
    });

    test('an expired token is 401', async () => {
      const { signToken } = await import('@testmancer/shared');
      const expired = await signToken({ sub: newId(), role: 'admin', expiresIn: '-1m' }, process.env.TEST_JWT_SECRET);
      expectProblem(await api('GET', '/api/categories', { headers: { authorization: `Bearer ${expired}` } }), 401);
    });

    test('a token with an unknown role is 401', async () => {
      const { SignJWT } = await import('jose');
      const token = await new SignJWT({ role: 'superuser' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(newId())
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(process.env.TEST_JWT_SECRET));
      expectProblem(await api('GET', '/api/flags', { headers: { authorization: `Bearer ${token}` } }), 401);
    });

    test.each(['admin', '../../etc/passwd', 'a'.repeat(25), ''])(
      'a correctly signed token whose sub is not a user id (%p) is 401 on every route, public ones included',
      async (sub) => {
        const { signToken } = await import('@testmancer/shared');
        const token = await signToken({ sub, role: 'student' }, process.env.TEST_JWT_SECRET);
        const authorization = { authorization: `Bearer ${token}` };
        const tree = await newCourseTree({ units: 1, pages: 1, published: true });
        const progress = await api('POST', `/api/courses/${tree.courseId}/progress`, {
          headers: authorization,
          body: { unitId: tree.unitIds[0], pageOrder: 1 },
        });
        expectProblem(progress, 401);
        expectProblem(await api('GET', `/api/courses/${tree.courseId}/next`, { headers: authorization }), 401);
        expectProblem(await api('GET', '/api/categories', { headers: authorization }), 401);
      },
    );

    test('an authenticated user without the role is 403', async () => {
      expectProblem(await api('POST', '/api/categories', { as: await user('student'), body: { name: uniqueName('cat') } }), 403);
      expectProblem(
        await api('POST', '/api/categories', { as: await user('subadmin', [newId()]), body: { name: uniqueName('cat') } }),
        403,
      );
    });
  });

  describe('bad input', () => {
    test('malformed JSON is 400', async () => {
      expectProblem(
        await api('POST', '/api/categories', {
          as: await user('admin'),
          rawBody: '{"name": ',
          headers: { 'content-type': 'application/json' },
        }),
        400,
      );
    });

    test('a wrong type is 400 with errors[] naming the field', async () => {
      const response = await api('POST', '/api/categories', { as: await user('admin'), body: { name: 42 } });
      expectProblem(response, 400);
      expect(response.body.errors).toEqual([expect.objectContaining({ path: 'body/name' })]);
    });

    test('an unknown field is 400 naming it', async () => {
      const response = await api('POST', '/api/categories', { as: await user('admin'), body: { name: uniqueName('cat'), color: 'red' } });
      expectProblem(response, 400);
      expect(response.body.errors).toEqual([{ path: 'body/color', message: 'unknown field' }]);
    });

    test('a $-prefixed key anywhere in the body is 400', async () => {
      const response = await api('POST', '/api/categories', { as: await user('admin'), body: { name: { $gt: '' } } });
      expectProblem(response, 400);
      expect(response.body.errors).toEqual([expect.objectContaining({ path: 'body/name/$gt' })]);
    });

    test('a $-prefixed key in the query is 400', async () => {
      const response = await api('GET', '/api/categories?$where=1');
      expectProblem(response, 400);
      expect(response.body.errors).toEqual([expect.objectContaining({ path: 'query/$where' })]);
    });

    test('an unknown query parameter and an out-of-range limit are 400', async () => {
      expectProblem(await api('GET', '/api/categories?sort=name'), 400);
      expectProblem(await api('GET', '/api/categories?limit=101'), 400);
      expectProblem(await api('GET', '/api/categories?limit=abc'), 400);
    });

    test('a cursor the API did not return is 400', async () => {
      const response = await api('GET', '/api/categories?cursor=not-a-cursor');
      expectProblem(response, 400);
      expect(response.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
    });

    test('a body over 1 MiB is 413', async () => {
      const response = await api('POST', '/api/categories', { as: await user('admin'), body: { name: 'x'.repeat(1024 * 1024 + 10) } });
      expectProblem(response, 413);
    });

    test('a body nested 5,000 levels deep is 400 and creates nothing', async () => {
      const admin = await user('admin');
      const title = uniqueName('deep');
      const deep = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
      const rawBody = `{"title":${JSON.stringify(title)},"categoryId":"${newId()}","description":${deep}}`;
      const response = await api('POST', '/api/courses', { as: admin, rawBody, headers: { 'content-type': 'application/json' } });
      expectProblem(response, 400);
      expect(response.body.detail).toMatch(/nests more than 32 levels/);
      expect((await everyItem('/api/courses', admin)).map((course) => course.title)).not.toContain(title);
    });

    test.each(['utf-7', 'utf-16', 'UTF-16LE', 'iso-8859-1'])('a JSON body declared %s is 415 and stores nothing', async (charset) => {
      const admin = await user('admin');
      const name = `x+ADw-script+AD4- ${uniqueName('cat')}`;
      const body = charset.toLowerCase().startsWith('utf-16')
        ? Buffer.from(JSON.stringify({ name }), 'utf16le')
        : Buffer.from(JSON.stringify({ name }));
      const response = await api('POST', '/api/categories', {
        as: admin,
        rawBody: body,
        headers: { 'content-type': `application/json; charset=${charset}` },
      });
      expectProblem(response, 415);
      expect(response.body.detail).toBe('JSON request bodies must be UTF-8');
      const names = (await everyItem('/api/categories')).map((category) => category.name);
      expect(names.filter((n) => n?.includes(name.slice(-10)))).toEqual([]);
    });

    test('a JSON body declared UTF-8, in either case, is read', async () => {
      const admin = await user('admin');
      for (const charset of ['utf-8', 'UTF-8']) {
        const response = await api('POST', '/api/categories', {
          as: admin,
          rawBody: JSON.stringify({ name: uniqueName('cat') }),
          headers: { 'content-type': `application/json; charset=${charset}` },
        });
        expect(response.status).toBe(201);
      }
    });

    test('a body that is not JSON is 415', async () => {
      const response = await api('POST', '/api/categories', {
        as: await user('admin'),
        rawBody: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectProblem(response, 415);
    });
  });

  test('past the rate limit a user gets 429 with Retry-After; others are not affected', async () => {
    const limit = Number(process.env.TEST_USER_RATE_LIMIT);
    const hasty = await user('student');
    const statuses: number[] = [];
    for (let sent = 0; sent < limit + 5; sent += 25) {
      const batch = await Promise.all(Array.from({ length: 25 }, () => api('GET', '/api/flags', { as: hasty })));
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
    const limited = await api('GET', '/api/flags', { as: hasty });
    expectProblem(limited, 429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api('GET', '/api/flags', { as: await user('student') })).status).toBe(200);
  });

  test('an address that floods bad tokens gets 429 before its tokens are checked; signed-in requests are not counted', async () => {
    const gateway = await startGateway('address-limit', { RATE_LIMIT_IP_MAX: '5' });
    const send = (authorization: string) =>
      fetch(`${gateway.url}/api/flags`, { headers: { authorization } }).then(async (res) => ({
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
      }));
    try {
      const student = await user('student');
      const signedIn = await Promise.all(Array.from({ length: 20 }, () => send(`Bearer ${student.token}`)));
      expect(signedIn.map((r) => r.status)).toEqual(Array(20).fill(200));
      const forged = `Bearer ${student.token.slice(0, -4)}AAAA`;
      const flood: number[] = [];
      for (let i = 0; i < 8; i += 1) flood.push((await send(forged)).status);
      expect(flood).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      const afterFlood = await send(`Bearer ${student.token}`);
      expect(afterFlood.status).toBe(429);
      expect(Number(afterFlood.retryAfter)).toBeGreaterThan(0);
    } finally {
      await gateway.stop();
    }
  });
});
