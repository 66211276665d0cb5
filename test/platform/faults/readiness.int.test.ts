import { contentV1 } from '@testmancer/proto';
import { createServiceClient, type Caller } from '@testmancer/shared';
import type { Platform } from '@testmancer/local-platform';
import { api, expectProblem, newId, uniqueName, user } from '../../support/api';
import { eventually, ownPlatform } from '../../support/own-platform';

let platform: Platform;
const ready = () => api('GET', '/ready', { baseUrl: platform.gatewayUrl });

beforeAll(async () => {
  platform = await ownPlatform('readiness', { ownDatabase: true });
});
afterAll(async () => {
  await platform?.stop();
});

describe('readiness and faults', () => {
  test('a stopped service turns /ready to 503 naming it within seconds, and back to 200 when it returns', async () => {
    expect((await ready()).status).toBe(200);
    await platform.stopProcess('quiz');
    const down = await eventually(ready, (r) => r.status === 503, 5_000);
    expectProblem(down.value, 503);
    expect(down.value.body.checks.quiz).toBe('unreachable');
    expect(down.value.body.detail).toMatch(/quiz/);
    expect(down.value.headers.get('retry-after')).toBeTruthy();

    await platform.startProcess('quiz');
    await eventually(ready, (r) => r.status === 200, 10_000);
  });

  test('a service too busy to answer stays ready for two slow checks, and is unreachable once it stays silent', async () => {
    // Frozen, it keeps its connections and answers nothing: each check runs into READY_TIMEOUT_MS.
    platform.pauseProcess('gems');
    try {
      expect((await ready()).status).toBe(200);
      expect((await ready()).status).toBe(200);
      const down = await ready();
      expectProblem(down, 503);
      expect(down.body.checks.gems).toBe('unreachable');
    } finally {
      platform.resumeProcess('gems');
    }
    await eventually(ready, (r) => r.status === 200, 10_000);
  });

  test('a call to a stopped service is 503 with Retry-After, never a 500', async () => {
    await platform.stopProcess('content');
    try {
      const response = await api('GET', '/api/categories', { baseUrl: platform.gatewayUrl });
      expectProblem(response, 503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await platform.startProcess('content');
    }
    await eventually(
      () => api('GET', '/api/categories', { baseUrl: platform.gatewayUrl }),
      (r) => r.status === 200,
      10_000,
    );
  });

  test('a stopped database turns /ready to 503 naming the database, and back to 200 when it returns', async () => {
    await platform.stopDatabase();
    try {
      const down = await eventually(ready, (r) => r.status === 503 && r.body.checks?.database === 'unreachable', 8_000);
      expectProblem(down.value, 503);
      expect(down.value.body.detail).toMatch(/database/);
      // The data path fails cleanly too: a 503, not a 500 or a driver message.
      const write = await api('POST', '/api/categories', {
        baseUrl: platform.gatewayUrl,
        as: await user('admin'),
        body: { name: uniqueName('offline') },
      });
      expectProblem(write, 503);
    } finally {
      await platform.startDatabase();
    }
    await eventually(ready, (r) => r.status === 200, 15_000);
    const created = await api('POST', '/api/categories', {
      baseUrl: platform.gatewayUrl,
      as: await user('admin'),
      body: { name: uniqueName('online') },
    });
    expect(created.status).toBe(201);
  });

  test('a service asked to stop finishes the calls already in flight', async () => {
    const gateway = platform.identity('gateway');
    const client = createServiceClient(contentV1.ContentServiceService, platform.addresses.content, 'content', {
      identity: gateway,
      defaultDeadlineMs: 20_000,
    });
    const names = Array.from({ length: 60 }, () => uniqueName('drain'));
    try {
      const admin = { kind: 'user' as const, userId: newId(), role: 'admin' as const, categoryIds: [] };
      const caller: Caller = { ...admin, credential: await gateway.userToken(admin) };
      // Connected first: on a busy machine a fresh channel can take longer than
      // the 30 ms below, and calls still waiting for it are not in flight.
      await client.listCategories({ limit: 1, cursor: '' }, { caller });
      const calls = names.map((name) =>
        client.createCategory({ name }, { caller }).then(
          () => 'ok' as const,
          (error: { code?: number }) => `failed ${error.code}` as const,
        ),
      );
      // Every call is on the wire; the database serializes the writes, so most are still being handled.
      await new Promise((resolve) => setTimeout(resolve, 30));
      const exitCode = platform.stopProcess('content', 'SIGTERM');
      const outcomes = await Promise.all(calls);
      expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
      expect(await exitCode).toBe(0);
    } finally {
      client.close();
      await platform.startProcess('content');
    }
    await eventually(ready, (r) => r.status === 200, 10_000);
    const stored = await api('GET', '/api/categories?limit=100', { baseUrl: platform.gatewayUrl });
    const listed = new Set<string>(stored.body.items.map((c: { name: string }) => c.name));
    expect(names.filter((name) => !listed.has(name))).toEqual([]);
  });
});
