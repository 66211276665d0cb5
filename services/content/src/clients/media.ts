import { isGrpcStatus, Status, type Caller, type ServiceClient } from '@testmancer/shared';
import { mediaV1 } from '@testmancer/proto';
import type { AssetFacts, MediaKind } from '../domain';

/** The media service's assets, as the use cases ask about them. */
export interface AssetCatalog {
  /** The ready asset `assetId` as the media service describes it to `caller`; undefined when it has no such ready asset. */
  describe(caller: Caller, assetId: string): Promise<AssetFacts | undefined>;
}

const kindOf: Partial<Record<mediaV1.AssetKind, MediaKind>> = {
  [mediaV1.AssetKind.IMAGE]: 'image',
  [mediaV1.AssetKind.VIDEO]: 'video',
  [mediaV1.AssetKind.RAW]: 'raw',
};

/** The media service's GetAsset. NOT_FOUND is an answer (no such ready asset); any other failure is the caller's to report. */
export class GrpcAssetCatalog implements AssetCatalog {
  constructor(private readonly client: ServiceClient<typeof mediaV1.MediaServiceService>) {}

  async describe(caller: Caller, assetId: string): Promise<AssetFacts | undefined> {
    let asset: mediaV1.Asset | undefined;
    try {
      ({ asset } = await this.client.getAsset({ id: assetId }, { caller }));
    } catch (error) {
      if (isGrpcStatus(error) && error.code === Status.NOT_FOUND) return undefined;
      throw error;
    }
    if (!asset) return undefined;
    return {
      id: asset.id.toLowerCase(),
      courseId: asset.courseId.toLowerCase(),
      // A kind this service does not know is no image and no video: a block's check refuses it.
      kind: kindOf[asset.kind] ?? 'raw',
      url: asset.url,
      providerId: asset.providerId,
      ...(asset.width !== undefined && { width: asset.width }),
      ...(asset.height !== undefined && { height: asset.height }),
      renditions: asset.renditions.map(({ width, url }) => ({ width, url })),
      mediaType: asset.mediaType,
    };
  }
}
