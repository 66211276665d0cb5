import { mediaV1 } from '@testmancer/proto';
import {
  createGrpcServer,
  createLogger,
  createServiceClient,
  invalid,
  loadServiceKeys,
  registration,
  ServiceIdentity,
  Status,
  toGrpcError,
  type GrpcServer,
} from '@testmancer/shared';
import { ClientError, Metadata } from 'nice-grpc';
import { HttpProblem, problem, toHttpProblem } from '../src/http/problem';

// The one place where a gRPC status becomes an HTTP problem (the gateway's half of the two error mappers).
const grpcError = (code: Status, details: string, trailer: Record<string, string> = {}) =>
  Object.assign(new ClientError('/testmancer.content.v1.ContentService/GetCourse', code, details), { trailer: Metadata(trailer) });

describe('toHttpProblem', () => {
  it.each([
    [Status.INVALID_ARGUMENT, 400],
    [Status.OUT_OF_RANGE, 400],
    [Status.PERMISSION_DENIED, 403],
    [Status.NOT_FOUND, 404],
    [Status.ALREADY_EXISTS, 409],
    [Status.ABORTED, 409],
    [Status.FAILED_PRECONDITION, 412],
  ])('keeps the service message of gRPC status %i as an HTTP %i', (code, http) => {
    const mapped = toHttpProblem(grpcError(code, 'quiz not found'));
    expect(mapped).toMatchObject({ status: http, detail: 'quiz not found' });
  });

  it('carries the field issues of INVALID_ARGUMENT, as the service attached them', () => {
    const issues = [{ path: 'title', message: 'must not be empty' }];
    const { code, details, trailers } = toGrpcError(invalid('invalid course', issues));
    const mapped = toHttpProblem(grpcError(code, details, trailers));
    expect(mapped).toMatchObject({ status: 400, detail: 'invalid course', errors: issues });
  });

  it.each([Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED])('answers gRPC status %i as 503, without its details', (code) => {
    expect(toHttpProblem(grpcError(code, 'connect ECONNREFUSED 10.0.0.7:50051'))).toMatchObject({
      status: 503,
      detail: 'a service this request needs is unavailable; try again shortly',
    });
  });

  it.each([Status.INTERNAL, Status.UNKNOWN, Status.DATA_LOSS, Status.UNAUTHENTICATED, Status.RESOURCE_EXHAUSTED])(
    'hides gRPC status %i behind a bare 500 (a refused credential, a message over a size limit: the platform’s fault, not for the client to retry)',
    (code) => {
      expect(toHttpProblem(grpcError(code, 'TypeError: x is undefined at /app/dist/server.js:12'))).toMatchObject({
        status: 500,
        detail: 'the request could not be completed',
      });
    },
  );

  it('answers a too_large refusal 413 and an unsupported one 415, by the kind the service named', () => {
    expect(toHttpProblem(grpcError(Status.RESOURCE_EXHAUSTED, 'over the quota', { 'testmancer-error-kind': 'too_large' }))).toMatchObject({
      status: 413,
    });
    expect(toHttpProblem(grpcError(Status.INVALID_ARGUMENT, 'a script', { 'testmancer-error-kind': 'unsupported' }))).toMatchObject({
      status: 415,
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
    let server: GrpcServer;
    let client: ReturnType<typeof createServiceClient<typeof mediaV1.MediaServiceService>>;
    beforeAll(async () => {
      server = createGrpcServer({
        logger: createLogger('media', 'silent'),
        identity: new ServiceIdentity('media', loadServiceKeys('media', {})),
      });
      server.add(registration('media', mediaV1.MediaServiceService, {}));
      const port = await server.listen('127.0.0.1', 0);
      client = createServiceClient(mediaV1.MediaServiceService, `127.0.0.1:${String(port)}`, 'media', {
        identity: new ServiceIdentity('gateway', loadServiceKeys('gateway', {})),
        defaultDeadlineMs: 5_000,
      });
    });
    afterAll(async () => {
      client.close();
      await server.drain(100);
    });

    it('answers 501, not a 500', async () => {
      const error: unknown = await client.getAsset({ id: 'aaaaaaaaaaaaaaaaaaaaaaaa' }).catch((e: unknown) => e);
      expect(toHttpProblem(error)).toMatchObject({ status: 501, detail: 'this operation is not available yet' });
    });
  });
});
