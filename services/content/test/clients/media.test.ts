import { Metadata, status as Status, type ServiceError } from '@grpc/grpc-js';
import { mediaV1 } from '@testmancer/proto';
import { toGrpcError, type Caller } from '@testmancer/shared';
import { GrpcAssetCatalog } from '../../src/clients/media';

const caller: Caller = { kind: 'user', userId: '65a000000000000000000001', role: 'admin', categoryIds: [] };

const grpcError = (code: Status): ServiceError =>
  Object.assign(new Error(Status[code]), { code, details: Status[code], metadata: new Metadata() });

/** A MediaService client whose GetAsset answers `answer`, recording the requests. */
function clientAnswering(answer: mediaV1.GetAssetResponse | ServiceError) {
  const requests: mediaV1.GetAssetRequest[] = [];
  const client = {
    getAsset(
      request: mediaV1.GetAssetRequest,
      _metadata: Metadata,
      _options: unknown,
      callback: (error: ServiceError | null, response?: mediaV1.GetAssetResponse) => void,
    ) {
      requests.push(request);
      if (answer instanceof Error) callback(answer);
      else callback(null, answer);
      return {};
    },
  };
  return { catalog: new GrpcAssetCatalog(client as unknown as mediaV1.MediaServiceClient), requests };
}

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
  servedByMedia: false,
  mediaType: 'image/png',
};

describe('GrpcAssetCatalog', () => {
  it('asks GetAsset as the caller and keeps what a page needs of the answer', async () => {
    const { catalog, requests } = clientAnswering({ asset });
    expect(await catalog.describe(caller, '65a0000000000000000000aa')).toEqual({
      id: '65a0000000000000000000aa',
      courseId: '65a0000000000000000000cc',
      kind: 'image',
      url: 'https://media.example/a.png',
      providerId: 'course/a',
      width: 640,
      renditions: [{ width: 320, url: 'https://media.example/a-320.png' }],
      mediaType: 'image/png',
    });
    expect(requests).toEqual([{ caller: expect.objectContaining({ userId: '65a000000000000000000001' }), id: '65a0000000000000000000aa' }]);
  });

  it('answers undefined for NOT_FOUND', async () => {
    expect(await clientAnswering(grpcError(Status.NOT_FOUND)).catalog.describe(caller, '65a0000000000000000000aa')).toBeUndefined();
  });

  it('lets any other failure through, which the service then answers as UNAVAILABLE', async () => {
    const failure = await clientAnswering(grpcError(Status.UNAVAILABLE))
      .catalog.describe(caller, '65a0000000000000000000aa')
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect((failure as ServiceError).code).toBe(Status.UNAVAILABLE);
    expect(toGrpcError(failure).code).toBe(Status.UNAVAILABLE);
  });
});
