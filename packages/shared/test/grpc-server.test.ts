import { gemsV1 } from '@testmancer/proto';
import { SignJWT } from 'jose';
import { Metadata, createChannel, createClient } from 'nice-grpc';
import pino from 'pino';
import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { MongoNetworkError } from 'mongodb';
import {
  createGrpcServer,
  createMetrics,
  createServiceClient,
  currentScope,
  developmentKey,
  invalid,
  issuesOf,
  loadServiceKeys,
  notFound,
  registration,
  ServiceIdentity,
  Status,
  type GrpcServer,
  type RpcCallContext,
  type RpcFailure,
} from '../src';

// The server every service runs and the client every caller uses, over a real gRPC connection on loopback.
const lines: Array<Record<string, unknown>> = [];
const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
);
const metrics = createMetrics('wrapper-test');
const keys = loadServiceKeys('gems', {});
let server: GrpcServer;
let address: string;
let client: ReturnType<typeof createServiceClient<typeof gemsV1.GemsServiceService>>;
const quiz = new ServiceIdentity('quiz', loadServiceKeys('quiz', {}));
const gateway = new ServiceIdentity('gateway', loadServiceKeys('gateway', {}));

const grant = { idempotencyKey: 'k', userId: 'u', amount: 1, source: 's', reason: 'r' };
const failure = (call: Promise<unknown>) =>
  call.then(
    () => Promise.reject(new Error('expected the call to fail')),
    (error: RpcFailure) => error,
  );
const handled = async (code: string) =>
  (await metrics.registry.getSingleMetric('grpc_server_handled_total')?.get())?.values.find(
    (v) => v.labels.grpc_method === 'GrantGems' && v.labels.grpc_code === code,
  )?.value ?? 0;

let answer: (context: RpcCallContext) => Promise<gemsV1.GrantGemsResponse>;

beforeAll(async () => {
  server = createGrpcServer({ logger, identity: new ServiceIdentity('gems', keys) });
  // GetBalance is left out on purpose: it answers UNIMPLEMENTED.
  server.add(registration('gems', gemsV1.GemsServiceService, { grantGems: (_request, context) => answer(context) }));
  address = `127.0.0.1:${String(await server.listen('127.0.0.1', 0))}`;
  client = createServiceClient(gemsV1.GemsServiceService, address, 'gems', { identity: quiz, defaultDeadlineMs: 5_000 });
});

afterAll(async () => {
  client.close();
  await server.drain(100);
});

describe('the shared gRPC server: errors and metrics', () => {
  it('answers what the handler returns and counts it as OK', async () => {
    answer = () => Promise.resolve({ grant: undefined, balance: 7, duplicate: false });
    const before = await handled('OK');
    expect(await client.grantGems(grant)).toMatchObject({ balance: 7, duplicate: false });
    expect(await handled('OK')).toBe(before + 1);
  });

  it('turns a domain error into its status, keeping the message and the field issues', async () => {
    answer = () => Promise.reject(invalid('invalid grant', [{ path: 'amount', message: 'must be a whole number, 1 or more' }]));
    const error = await failure(client.grantGems(grant));
    expect(error.code).toBe(Status.INVALID_ARGUMENT);
    expect(error.details).toBe('invalid grant');
    expect(issuesOf(error)).toEqual([{ path: 'amount', message: 'must be a whole number, 1 or more' }]);
    answer = () => Promise.reject(notFound('quiz'));
    expect(await failure(client.grantGems(grant))).toMatchObject({ code: Status.NOT_FOUND, details: 'quiz not found' });
  });

  it('hides an unexpected error behind INTERNAL, logging the cause instead', async () => {
    answer = () => Promise.reject(new Error('secret connection string mongodb://user:pw@db'));
    const before = await handled('INTERNAL');
    const error = await failure(client.grantGems(grant));
    expect(error.code).toBe(Status.INTERNAL);
    expect(error.details).toBe('internal error');
    expect(await handled('INTERNAL')).toBe(before + 1);
    const logged = lines.find((line) => line.msg === 'unhandled error in RPC');
    expect(JSON.stringify(logged)).toContain('secret connection string');
  });

  it('says UNAVAILABLE when the database cannot be reached, so that the caller may retry', async () => {
    answer = () => Promise.reject(new MongoNetworkError('connection refused'));
    expect(await failure(client.grantGems(grant))).toMatchObject({ code: Status.UNAVAILABLE, details: 'the database is unavailable' });
  });

  it('leaves a method without a handler UNIMPLEMENTED', async () => {
    expect((await failure(client.getBalance({ userId: '', historyLimit: 0 }))).code).toBe(Status.UNIMPLEMENTED);
  });
});

describe('credentials: the callee verifies who calls, never a field', () => {
  const student = { kind: 'user' as const, userId: 'a'.repeat(24), role: 'student' as const, categoryIds: [] };

  it('names the calling service and the user the gateway vouched for', async () => {
    answer = (context) =>
      Promise.resolve({ grant: undefined, balance: 0, duplicate: context.service === 'quiz' && context.caller.kind === 'user' });
    const credential = await gateway.userToken(student);
    expect(await client.grantGems(grant, { caller: { ...student, credential } })).toMatchObject({ duplicate: true });
  });

  it('refuses a call with no credential, a foreign one, an expired one, or one addressed to another service', async () => {
    answer = () => Promise.resolve({ grant: undefined, balance: 0, duplicate: false });
    const raw = createClient(gemsV1.GemsServiceService, createChannel(address));
    const bearer = (token: string) => Metadata({ authorization: `Bearer ${token}` });
    const foreignKey = generateKeyPairSync('ed25519').privateKey;
    const signed = (claims: { iss: string; aud: string; exp: number }, key = developmentKey('quiz')) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer(claims.iss)
        .setAudience(claims.aud)
        .setExpirationTime(claims.exp)
        .sign(key);
    const inAMinute = Math.floor(Date.now() / 1000) + 60;
    const attempts = [
      raw.grantGems(grant),
      raw.grantGems(grant, { metadata: bearer(await signed({ iss: 'quiz', aud: 'gems', exp: inAMinute }, foreignKey)) }),
      raw.grantGems(grant, { metadata: bearer(await signed({ iss: 'quiz', aud: 'gems', exp: inAMinute - 120 })) }),
      raw.grantGems(grant, { metadata: bearer(await signed({ iss: 'quiz', aud: 'content', exp: inAMinute })) }),
      raw.grantGems(grant, { metadata: bearer(await signed({ iss: 'intruder', aud: 'gems', exp: inAMinute })) }),
    ];
    for (const attempt of attempts) expect((await failure(attempt)).code).toBe(Status.UNAUTHENTICATED);
    // A user claim signed by anyone but the gateway is refused too, even beside a valid service credential.
    const forgedUser = await new SignJWT({ role: 'admin', categoryIds: [] })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('gateway')
      .setAudience('testmancer-services')
      .setSubject('b'.repeat(24))
      .setExpirationTime(inAMinute)
      .sign(developmentKey('quiz'));
    expect((await failure(client.grantGems(grant, { caller: { ...student, role: 'admin', credential: forgedUser } }))).code).toBe(
      Status.UNAUTHENTICATED,
    );
  });

  it('carries the caller’s remaining time and cancellation into the handler’s scope', async () => {
    let seen: number | undefined;
    answer = () => {
      seen = currentScope()?.deadline;
      return Promise.resolve({ grant: undefined, balance: 0, duplicate: false });
    };
    const started = Date.now();
    await client.grantGems(grant, { deadline: 3_000 });
    expect(seen).toBeGreaterThan(started + 2_000);
    expect(seen).toBeLessThanOrEqual(Date.now() + 3_000);
  });
});
