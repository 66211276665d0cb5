import { invalid, registration, type ServiceRegistration } from '@testmancer/shared';
import { mediaV1 } from '@testmancer/proto';
import type { Assets } from '../application/assets';
import type { DirectUploads } from '../application/direct-uploads';
import type { Delivery } from '../application/delivery';
import type { Uploads } from '../application/uploads';
import { assetMessage, kindOf, uploadParts } from './messages';

export interface MediaRpcDependencies {
  uploads: Uploads;
  assets: Assets;
  directUploads: DirectUploads;
  delivery: Delivery;
  providerName: string;
}

/** Decode, call one use case, encode. */
export function mediaService(deps: MediaRpcDependencies): ServiceRegistration {
  const { uploads, assets, directUploads, delivery } = deps;
  return registration('testmancer.media.v1.MediaService', mediaV1.MediaServiceService, {
    async uploadAsset(requests, context) {
      const uploaded = await uploads.upload(uploadParts(requests, context.caller));
      return { asset: assetMessage(uploaded, delivery.urlsOf(uploaded)) };
    },
    async getAsset(request, context) {
      const visible = await assets.visible(context.caller, request.id, request.urlSignature);
      return { asset: assetMessage(visible, delivery.urlsOf(visible, request.width)) };
    },
    async deleteAsset(request, context) {
      await assets.delete(context.caller, request.id, request.expectedVersion);
      return {};
    },
    async *readAssetContent(request, context) {
      const { bytes } = await assets.read(context.caller, request.id, request.offset, request.length, request.urlSignature);
      for await (const chunk of bytes as AsyncIterable<Buffer>) yield { chunk };
    },
    async createUploadSignature(request, context) {
      const kind = kindOf(request.kind);
      if (request.kind !== mediaV1.AssetKind.UNSPECIFIED && !kind) throw invalid('uploads are images or videos');
      const signature = await directUploads.sign(context.caller, request.courseId, kind);
      return { ...signature, fields: { ...signature.fields }, provider: deps.providerName };
    },
    async confirmUpload(request, context) {
      const { created, ...confirmed } = await directUploads.confirm(context.caller, request.id);
      return { asset: assetMessage(confirmed, delivery.urlsOf(confirmed)), created };
    },
  });
}
