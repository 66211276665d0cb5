import { callerFromProto, implement, invalid, type Logger, type Metrics, type ServiceRegistration } from '@testmancer/shared';
import { mediaV1 } from '@testmancer/proto';
import type { Assets } from '../application/assets';
import type { Uploads } from '../application/uploads';
import { assetMessage, kindOf, uploadParts } from './messages';

export interface MediaRpcDependencies {
  uploads: Uploads;
  assets: Assets;
  providerName: string;
  logger: Logger;
  metrics: Metrics;
}

/** Decode, call one use case, encode. */
export function mediaService(deps: MediaRpcDependencies): ServiceRegistration {
  const { uploads, assets } = deps;
  return {
    name: 'testmancer.media.v1.MediaService',
    definition: mediaV1.MediaServiceService,
    implementation: implement(
      mediaV1.MediaServiceService,
      {
        async uploadAsset(requests) {
          return { asset: assetMessage(await uploads.upload(uploadParts(requests))) };
        },
        async getAsset(request) {
          return { asset: assetMessage(await assets.get(request.id)) };
        },
        async deleteAsset(request) {
          await assets.delete(callerFromProto(request.caller), request.id, request.expectedVersion);
          return {};
        },
        async *readAssetContent(request) {
          const { bytes } = await assets.read(request.id, request.offset, request.length);
          for await (const chunk of bytes as AsyncIterable<Buffer>) yield { chunk };
        },
        async createUploadSignature(request) {
          const kind = kindOf(request.kind);
          if (request.kind !== mediaV1.AssetKind.UNSPECIFIED && !kind) throw invalid('uploads are images or videos');
          const signature = await assets.signUpload(callerFromProto(request.caller), request.courseId, kind);
          return { ...signature, fields: { ...signature.fields }, provider: deps.providerName };
        },
      },
      deps,
    ),
  };
}
