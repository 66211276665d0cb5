import { mediaV1 } from '@testmancer/proto';
import {
  createGrpcServer,
  createLogger,
  createServiceClient,
  loadServiceKeys,
  registration,
  ServiceIdentity,
  Status,
  toGrpcError,
  unavailable,
  notFound,
  type Caller,
  type GrpcServer,
  type RpcFailure,
} from '@testmancer/shared';
import { GrpcAssetCatalog } from '../../src/clients/media';

const gateway = new ServiceIdentity('gateway', loadServiceKeys('gateway', {}));
const caller: Caller = { kind: 'user', userId: '65a000000000000000000001', role: 'admin', categoryIds: [] };

/** A media service on loopback whose GetAsset answers what `answer` says, recording who asked for what. */
let answer: () => Promise<mediaV1.GetAssetResponse>;
const seen: { id: string; service: string; user: string }[] = [];
let server: GrpcServer;
let catalog: GrpcAssetCatalog;
let close: () => void;

beforeAll(async () => {
  server = createGrpcServer({
    logger: createLogger('media', 'silent'),
    identity: new ServiceIdentity('media', loadServiceKeys('media', {})),
  });
  server.add(
    registration('media', mediaV1.MediaServiceService, {
      getAsset(request, context) {
        seen.push({ id: request.id, service: context.service, user: context.caller.kind === 'user' ? context.caller.userId : '' });
        return answer();
      },
    }),
  );
  const port = await server.listen('127.0.0.1', 0);
  const client = createServiceClient(mediaV1.MediaServiceService, `127.0.0.1:${String(port)}`, 'media', {
    identity: new ServiceIdentity('content', loadServiceKeys('content', {})),
    defaultDeadlineMs: 5_000,
  });
  close = () => client.close();
  catalog = new GrpcAssetCatalog(client);
});
afterAll(async () => {
  close();
  await server.drain(100);
});

const asset: mediaV1.Asset = {
  id: '65A0000000000000000000AA',
  courseId: '65A0000000000000000000CC',
  kind: mediaV1.AssetKind.IMAGE,
  url: 'https://media.example/a.png',
  bytes: 1234,
  format: 'png',
  width: 640,
  height: undefined,
  providerId: 'course/a',
  createdBy: '65a000000000000000000001',
  createdAt: new Date('2030-01-01T00:00:00Z'),
  version: 1,
  checksum: 'ab',
  renditions: [{ width: 320, url: 'https://media.example/a-320.png' }],
  filename: 'a.png',
  published: true,
  signedUrl: '',
  deliveryUrl: 'https://media.example/signed/a.png',
  servedByMedia: false,
  mediaType: 'image/png',
};

describe('GrpcAssetCatalog', () => {
  it('asks GetAsset as the caller and keeps what a page needs of the answer', async () => {
    answer = () => Promise.resolve({ asset });
    seen.length = 0;
    const credential = await gateway.userToken(caller);
    expect(await catalog.describe({ ...caller, credential }, '65a0000000000000000000aa')).toEqual({
      id: '65a0000000000000000000aa',
      courseId: '65a0000000000000000000cc',
      kind: 'image',
      url: 'https://media.example/a.png',
      providerId: 'course/a',
      width: 640,
      renditions: [{ width: 320, url: 'https://media.example/a-320.png' }],
      mediaType: 'image/png',
    });
    expect(seen).toEqual([{ id: '65a0000000000000000000aa', service: 'content', user: '65a000000000000000000001' }]);
  });

  it('answers undefined for NOT_FOUND', async () => {
    answer = () => Promise.reject(notFound('asset'));
    expect(await catalog.describe(caller, '65a0000000000000000000aa')).toBeUndefined();
  });

  it('lets any other failure through, which the service then answers as UNAVAILABLE', async () => {
    answer = () => Promise.reject(unavailable('the provider is down'));
    const failure = await catalog.describe(caller, '65a0000000000000000000aa').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as RpcFailure).code).toBe(Status.UNAVAILABLE);
    expect(toGrpcError(failure).code).toBe(Status.UNAVAILABLE);
  });
});
