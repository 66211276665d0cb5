import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { DEV_JWT_SECRET } from '@testmancer/shared';

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

  const gatewayEnv = {
    CONTENT_ADDR: '127.0.0.1:1',
    QUIZ_ADDR: '127.0.0.1:2',
    GEMS_ADDR: '127.0.0.1:3',
    MEDIA_ADDR: '127.0.0.1:4',
  };

  test('in production the gateway refuses the public development secret', () => {
    const result = run('services/gateway/dist/main.js', { ...gatewayEnv, NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/JWT_SECRET: the public development secret/);
  });

  test('JWKS mode needs an https URL, an issuer and an audience', () => {
    const plain = run('services/gateway/dist/main.js', { ...gatewayEnv, JWKS_URL: 'http://idp.example.com/.well-known/jwks.json' });
    expect(plain.status).toBe(1);
    expect(plain.stderr).toMatch(/JWKS_URL: must be an https URL/);
    expect(plain.stderr).toMatch(/JWT_ISSUER: required with JWKS_URL/);
    expect(plain.stderr).toMatch(/JWT_AUDIENCE: required with JWKS_URL/);
    const complete = run('services/gateway/dist/main.js', {
      ...gatewayEnv,
      JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
      JWT_ISSUER: 'https://idp.example.com/',
      JWT_AUDIENCE: 'testmancer',
      PAGE_QUIZZES_ENABLED: 'sometimes',
    });
    // Past the token settings: the only complaint left is the deliberately bad flag.
    expect(complete.status).toBe(1);
    expect(complete.stderr).not.toMatch(/JWKS_URL|JWT_ISSUER|JWT_AUDIENCE/);
    expect(complete.stderr).toMatch(/PAGE_QUIZZES_ENABLED/);
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
