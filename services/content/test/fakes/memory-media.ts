import type { Caller } from '@testmancer/shared';
import { someTurns } from '@testmancer/testing';
import { ObjectId } from 'mongodb';
import type { AssetCatalog } from '../../src/clients/media';
import type { AssetFacts, MediaKind } from '../../src/domain';

/** The media service's ready assets as GetAsset answers them: an id it does not hold is not found. Every lookup is recorded. */
export class MemoryAssetCatalog implements AssetCatalog {
  readonly assets = new Map<string, AssetFacts>();
  /** The asset ids asked about, in the order asked. */
  readonly lookups: string[] = [];
  /** The most lookups that were under way at once. */
  mostAtOnce = 0;
  /** Set: every lookup fails with it, as a call to an unreachable service would. */
  failure?: Error;
  private underWay = 0;

  async describe(_caller: Caller, assetId: string): Promise<AssetFacts | undefined> {
    this.lookups.push(assetId);
    this.mostAtOnce = Math.max(this.mostAtOnce, ++this.underWay);
    try {
      await someTurns();
      if (this.failure) throw this.failure;
      const asset = this.assets.get(assetId);
      return asset && structuredClone(asset);
    } finally {
      this.underWay -= 1;
    }
  }

  /** A new ready asset of `courseId`, with what an image or a video upload would have. */
  add(courseId: string, kind: MediaKind, facts: Partial<Omit<AssetFacts, 'courseId' | 'kind'>> = {}): AssetFacts {
    const id = facts.id ?? new ObjectId().toHexString();
    const asset: AssetFacts = {
      id,
      courseId,
      kind,
      url: `https://media.example/${id}`,
      providerId: `provider/${id}`,
      ...(kind === 'image' ? { width: 1200, height: 800 } : {}),
      renditions: kind === 'image' ? [{ width: 480, url: `https://media.example/${id}?w=480` }] : [],
      mediaType: kind === 'image' ? 'image/png' : 'video/mp4',
      ...facts,
    };
    this.assets.set(id, asset);
    return asset;
  }
}
