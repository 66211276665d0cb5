import type { Caller } from '@testmancer/shared';
import { mediaV1 } from '@testmancer/proto';
import type { VisibleAsset } from '../application/assets';
import type { AssetUrls } from '../application/delivery';
import type { AssetKind } from '../domain/asset';
import type { UploadPart } from '../domain/upload-stream';

const { AssetKind: Kind } = mediaV1;

const kindToProto: Record<AssetKind, mediaV1.AssetKind> = { image: Kind.IMAGE, video: Kind.VIDEO };
const kindFromProto = new Map<mediaV1.AssetKind, AssetKind>([
  [Kind.IMAGE, 'image'],
  [Kind.VIDEO, 'video'],
]);

/** An asset as one caller sees it, with the short-lived URLs of its bytes for that caller. */
export const assetMessage = ({ asset, published }: VisibleAsset, urls: AssetUrls): mediaV1.Asset => ({
  id: asset.id,
  courseId: asset.courseId,
  kind: kindToProto[asset.kind],
  url: asset.url,
  bytes: asset.bytes,
  format: asset.format,
  width: asset.width,
  height: asset.height,
  providerId: asset.providerId,
  createdBy: asset.createdBy,
  createdAt: asset.createdAt,
  version: asset.version,
  checksum: asset.checksum,
  renditions: asset.renditions.map((rendition) => ({ ...rendition })),
  filename: asset.filename,
  servedByMedia: asset.servedByMedia,
  mediaType: asset.mediaType,
  published,
  signedUrl: urls.signedUrl,
  deliveryUrl: urls.deliveryUrl,
});

/** Unspecified asks the provider to decide; raw is no kind this service stores. */
export const kindOf = (kind: mediaV1.AssetKind): AssetKind | undefined => kindFromProto.get(kind);

/** The upload's stream as parts; `caller` is the verified user the call acts for. */
export async function* uploadParts(requests: AsyncIterable<mediaV1.UploadAssetRequest>, caller: Caller): AsyncIterable<UploadPart> {
  for await (const { payload } of requests) {
    switch (payload?.$case) {
      case 'metadata': {
        const { courseId, filename, contentType, declaredSize } = payload.value;
        yield { type: 'metadata', caller, courseId, filename, contentType, declaredSize };
        break;
      }
      case 'chunk':
        yield { type: 'chunk', bytes: payload.value };
        break;
      case 'courseId':
        yield { type: 'course', courseId: payload.value };
        break;
      default:
        // An empty message carries nothing.
        break;
    }
  }
}
