import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const run = (entry: string, env: Record<string, string>) =>
  spawnSync(process.execPath, [path.join(root, entry)], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 20_000 });

describe('configuration is validated once at start-up', () => {
  test('a service with a bad value stops, naming the variable', () => {
    const result = run('services/gems/dist/main.js', { MONGODB_URI: 'postgres://nope', GRPC_PORT: 'eighty' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/GRPC_PORT/);
    expect(result.stderr).toMatch(/MONGODB_URI/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('the gateway without a way to verify tokens stops, naming the variables', () => {
    const result = run('services/gateway/dist/main.js', {
      CONTENT_ADDR: '127.0.0.1:1',
      QUIZ_ADDR: '127.0.0.1:2',
      GEMS_ADDR: '127.0.0.1:3',
      MEDIA_ADDR: 'not an address',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/MEDIA_ADDR/);
    expect(result.stderr).toMatch(/JWT_SECRET or JWKS_URL/);
  });

  test('the gateway refuses a bad flag override, naming it', () => {
    const result = run('services/gateway/dist/main.js', {
      CONTENT_ADDR: '127.0.0.1:1',
      QUIZ_ADDR: '127.0.0.1:2',
      GEMS_ADDR: '127.0.0.1:3',
      MEDIA_ADDR: '127.0.0.1:4',
      JWT_SECRET: 'x'.repeat(40),
      PAGE_QUIZZES_ENABLED: 'sometimes',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PAGE_QUIZZES_ENABLED/);
  });
});
