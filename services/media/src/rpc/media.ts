import { invalid, registration, type ServiceRegistration } from '@testmancer/shared';
import { mediaV1 } from '@testmancer/proto';
import type { Assets } from '../application/assets';
import type { Uploads } from '../application/uploads';
import { assetMessage, kindOf, uploadParts } from './messages';

export interface MediaRpcDependencies {
  uploads: Uploads;
  assets: Assets;
  providerName: string;
}

/** Decode, call one use case, encode. */
export function mediaService(deps: MediaRpcDependencies): ServiceRegistration {
  const { uploads, assets } = deps;
  return registration('testmancer.media.v1.MediaService', mediaV1.MediaServiceService, {
    async uploadAsset(requests, context) {
      return { asset: assetMessage(await uploads.upload(uploadParts(requests, context.caller))) };
    },
    async getAsset(request) {
      return { asset: assetMessage(await assets.get(request.id)) };
    },
    async deleteAsset(request, context) {
      await assets.delete(context.caller, request.id, request.expectedVersion);
      return {};
    },
    async *readAssetContent(request) {
      const { bytes } = await assets.read(request.id, request.offset, request.length);
      for await (const chunk of bytes as AsyncIterable<Buffer>) yield { chunk };
    },
    async createUploadSignature(request, context) {
      const kind = kindOf(request.kind);
      if (request.kind !== mediaV1.AssetKind.UNSPECIFIED && !kind) throw invalid('uploads are images or videos');
      const signature = await assets.signUpload(context.caller, request.courseId, kind);
      return { ...signature, fields: { ...signature.fields }, provider: deps.providerName };
    },
  });
}
