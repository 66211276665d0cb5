import { ClientError } from 'nice-grpc';
import { MongoClient } from 'mongodb';
import { conflict, forbidden, invalid, notFound, stale, Status, toGrpcError, unavailable } from '../src';

// The one place where a service's errors become gRPC statuses (the services' half of the two error mappers).
describe('toGrpcError', () => {
  it.each([
    [invalid('invalid quiz'), Status.INVALID_ARGUMENT],
    [notFound('quiz'), Status.NOT_FOUND],
    [forbidden('only admins create categories'), Status.PERMISSION_DENIED],
    [conflict('the slug is taken'), Status.ALREADY_EXISTS],
    [stale('page', 4), Status.FAILED_PRECONDITION],
    [unavailable('try again'), Status.UNAVAILABLE],
  ])('maps the domain error "%s" to its status, keeping its message', (error, code) => {
    expect(toGrpcError(error)).toMatchObject({ code, details: error.message });
  });

  it('attaches field issues only when there are some', () => {
    expect(toGrpcError(invalid('invalid quiz', [{ path: 'title', message: 'required' }])).trailers['testmancer-issues']).toEqual(
      JSON.stringify([{ path: 'title', message: 'required' }]),
    );
    expect(toGrpcError(invalid('invalid quiz')).trailers['testmancer-issues']).toBeUndefined();
  });

  it('passes a dependency that is down on as UNAVAILABLE, and hides every other downstream failure', () => {
    const downstream = (code: Status) => new ClientError('/testmancer.content.v1.ContentService/GetCourse', code, 'connect ECONNREFUSED');
    expect(toGrpcError(downstream(Status.DEADLINE_EXCEEDED))).toMatchObject({
      code: Status.UNAVAILABLE,
      details: 'a dependency is unavailable',
    });
    expect(toGrpcError(downstream(Status.UNAVAILABLE))).toMatchObject({ code: Status.UNAVAILABLE });
    expect(toGrpcError(downstream(Status.NOT_FOUND))).toMatchObject({ code: Status.INTERNAL, details: 'internal error' });
  });

  it('says the database is unavailable when it cannot be reached, and nothing about any other error', async () => {
    // Port 9 (discard) on loopback: nothing listens, the driver gives up selecting a server.
    const client = new MongoClient('mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=200');
    const unreachable: unknown = await client
      .db('x')
      .command({ ping: 1 })
      .catch((e: unknown) => e);
    await client.close();
    expect(toGrpcError(unreachable)).toMatchObject({ code: Status.UNAVAILABLE, details: 'the database is unavailable' });
    expect(toGrpcError(new RangeError('index 7 out of range at store.ts:40'))).toMatchObject({
      code: Status.INTERNAL,
      details: 'internal error',
    });
  });
});
