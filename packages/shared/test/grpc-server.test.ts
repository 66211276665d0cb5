import { status as Status, type Server, type ServiceError } from '@grpc/grpc-js';
import { gemsV1 } from '@testmancer/proto';
import pino from 'pino';
import { Writable } from 'node:stream';
import { MongoNetworkError } from 'mongodb';
import { bindServer, createClient, createGrpcServer, createMetrics, implement, invalid, issuesOf, notFound, unary } from '../src';

// The wrapper every service's handlers go through, over a real gRPC connection on loopback.
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
let server: Server;
let client: gemsV1.GemsServiceClient;

const grant = { idempotencyKey: 'k', userId: 'u', amount: 1, source: 's', reason: 'r' };
const failure = (call: Promise<unknown>) =>
  call.then(
    () => Promise.reject(new Error('expected the call to fail')),
    (error: ServiceError) => error,
  );
const handled = async (code: string) =>
  (await metrics.grpcServerHandled.get()).values.find((v) => v.labels.grpc_method === 'GrantGems' && v.labels.grpc_code === code)?.value ??
  0;

let answer: () => Promise<gemsV1.GrantGemsResponse>;

beforeAll(async () => {
  server = createGrpcServer();
  // GetBalance is left out on purpose: grpc-js answers it UNIMPLEMENTED.
  server.addService(gemsV1.GemsServiceService, implement(gemsV1.GemsServiceService, { grantGems: () => answer() }, { logger, metrics }));
  const port = await bindServer(server, '127.0.0.1', 0);
  client = createClient(gemsV1.GemsServiceClient, `127.0.0.1:${String(port)}`, { defaultDeadlineMs: 5_000 });
});

afterAll(() => {
  client.close();
  server.forceShutdown();
});

describe('implement(): the shared gRPC handler wrapper', () => {
  it('answers what the handler returns and counts it as OK', async () => {
    answer = () => Promise.resolve({ grant: undefined, balance: 7, duplicate: false });
    const before = await handled('OK');
    expect(await unary(client.grantGems.bind(client), grant)).toMatchObject({ balance: 7, duplicate: false });
    expect(await handled('OK')).toBe(before + 1);
  });

  it('turns a domain error into its status, keeping the message and the field issues', async () => {
    answer = () => Promise.reject(invalid('invalid grant', [{ path: 'amount', message: 'must be a whole number, 1 or more' }]));
    const error = await failure(unary(client.grantGems.bind(client), grant));
    expect(error.code).toBe(Status.INVALID_ARGUMENT);
    expect(error.details).toBe('invalid grant');
    expect(issuesOf(error)).toEqual([{ path: 'amount', message: 'must be a whole number, 1 or more' }]);
    answer = () => Promise.reject(notFound('quiz'));
    expect(await failure(unary(client.grantGems.bind(client), grant))).toMatchObject({ code: Status.NOT_FOUND, details: 'quiz not found' });
  });

  it('hides an unexpected error behind INTERNAL, logging the cause instead', async () => {
    answer = () => Promise.reject(new Error('secret connection string mongodb://user:pw@db'));
    const before = await handled('INTERNAL');
    const error = await failure(unary(client.grantGems.bind(client), grant));
    expect(error.code).toBe(Status.INTERNAL);
    expect(error.details).toBe('internal error');
    expect(await handled('INTERNAL')).toBe(before + 1);
    const logged = lines.find((line) => line.msg === 'unhandled error in RPC');
    expect(JSON.stringify(logged)).toContain('secret connection string');
  });

  it('says UNAVAILABLE when the database cannot be reached, so that the caller may retry', async () => {
    answer = () => Promise.reject(new MongoNetworkError('connection refused'));
    expect(await failure(unary(client.grantGems.bind(client), grant))).toMatchObject({
      code: Status.UNAVAILABLE,
      details: 'the database is unavailable',
    });
  });

  it('leaves a method without a handler UNIMPLEMENTED', async () => {
    const error = await failure(unary(client.getBalance.bind(client), { caller: undefined, userId: '', historyLimit: 0 }));
    expect(error.code).toBe(Status.UNIMPLEMENTED);
  });
});
