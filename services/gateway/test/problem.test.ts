import { Metadata, status as Status, type Server, type ServiceError } from '@grpc/grpc-js';
import { mediaV1 } from '@testmancer/proto';
import {
  bindServer,
  createClient,
  createGrpcServer,
  createLogger,
  createMetrics,
  implement,
  toGrpcError,
  invalid,
  unary,
} from '@testmancer/shared';
import { HttpProblem, problem, toHttpProblem } from '../src/http/problem';

// The one place where a gRPC status becomes an HTTP problem (the gateway's half of the two error mappers).
const grpcError = (code: Status, details: string, metadata = new Metadata()): ServiceError =>
  Object.assign(new Error(details), { code, details, metadata });

describe('toHttpProblem', () => {
  it.each([
    [Status.INVALID_ARGUMENT, 400],
    [Status.OUT_OF_RANGE, 400],
    [Status.UNAUTHENTICATED, 401],
    [Status.PERMISSION_DENIED, 403],
    [Status.NOT_FOUND, 404],
    [Status.ALREADY_EXISTS, 409],
    [Status.ABORTED, 409],
    [Status.FAILED_PRECONDITION, 412],
    [Status.RESOURCE_EXHAUSTED, 429],
  ])('keeps the service message of gRPC status %i as an HTTP %i', (code, http) => {
    const mapped = toHttpProblem(grpcError(code, 'quiz not found'));
    expect(mapped).toMatchObject({ status: http, detail: 'quiz not found' });
  });

  it('carries the field issues of INVALID_ARGUMENT, as the service attached them', () => {
    const issues = [{ path: 'title', message: 'must not be empty' }];
    const mapped = toHttpProblem(toGrpcError(invalid('invalid course', issues)));
    expect(mapped).toMatchObject({ status: 400, detail: 'invalid course', errors: issues });
  });

  it.each([Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED])('answers gRPC status %i as 503, without its details', (code) => {
    expect(toHttpProblem(grpcError(code, 'connect ECONNREFUSED 10.0.0.7:50051'))).toMatchObject({
      status: 503,
      detail: 'a service this request needs is unavailable; try again shortly',
    });
  });

  it.each([Status.INTERNAL, Status.UNKNOWN, Status.DATA_LOSS])('hides gRPC status %i behind a bare 500', (code) => {
    expect(toHttpProblem(grpcError(code, 'TypeError: x is undefined at /app/dist/server.js:12'))).toMatchObject({
      status: 500,
      detail: 'the request could not be completed',
    });
  });

  it('answers anything that is not a gRPC status or a problem as a bare 500, and keeps a problem as it is', () => {
    expect(toHttpProblem(new TypeError('boom'))).toMatchObject({ status: 500, detail: 'the request could not be completed' });
    const own = new HttpProblem(415, 'JSON must be UTF-8');
    expect(toHttpProblem(own)).toBe(own);
  });

  it('serves every status it maps as a titled problem document', () => {
    expect(problem(501, 'this operation is not available yet')).toEqual({
      type: 'https://api.testmancer.com/problems/not-implemented',
      title: 'Not implemented',
      status: 501,
      detail: 'this operation is not available yet',
    });
  });

  describe('against a real service that does not implement an operation', () => {
    let server: Server;
    let client: mediaV1.MediaServiceClient;
    beforeAll(async () => {
      server = createGrpcServer();
      const deps = { logger: createLogger('media', 'silent'), metrics: createMetrics('media') };
      server.addService(mediaV1.MediaServiceService, implement(mediaV1.MediaServiceService, {}, deps));
      const port = await bindServer(server, '127.0.0.1', 0);
      client = createClient(mediaV1.MediaServiceClient, `127.0.0.1:${String(port)}`, { defaultDeadlineMs: 5_000 });
    });
    afterAll(() => {
      client.close();
      server.forceShutdown();
    });

    it('answers 501, not a 500', async () => {
      const error: unknown = await unary(client.getAsset.bind(client), { caller: undefined, id: 'aaaaaaaaaaaaaaaaaaaaaaaa' }).catch(
        (e: unknown) => e,
      );
      expect(toHttpProblem(error)).toMatchObject({ status: 501, detail: 'this operation is not available yet' });
    });
  });
});
