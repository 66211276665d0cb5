import type { Asset, AssetStatus } from '../../src/domain/asset';
import type { AssetStore, Placement } from '../../src/store/assets';

/** The asset store's guarantees in memory: each call one atomic step. */
export class MemoryAssetStore implements AssetStore {
  readonly records = new Map<string, Asset>();

  async insert(asset: Asset): Promise<void> {
    if (this.records.has(asset.id)) throw new Error(`duplicate asset ${asset.id}`);
    this.records.set(asset.id, asset);
  }

  async byId(id: string): Promise<Asset | undefined> {
    return this.records.get(id);
  }

  async bytesOfCourse(courseId: string): Promise<number> {
    return [...this.records.values()]
      .filter((asset) => asset.courseId === courseId && asset.status !== 'deleting')
      .reduce((sum, asset) => sum + asset.bytes, 0);
  }

  async markReady(id: string, placement: Placement): Promise<Asset | undefined> {
    const asset = this.records.get(id);
    if (asset?.status !== 'uploading') return undefined;
    const ready: Asset = { ...asset, ...placement, status: 'ready', version: asset.version + 1 };
    this.records.set(id, ready);
    return ready;
  }

  async moveStatus(id: string, version: number, status: AssetStatus, next: AssetStatus): Promise<Asset | undefined> {
    const asset = this.records.get(id);
    if (asset?.status !== status || asset.version !== version) return undefined;
    const moved: Asset = { ...asset, status: next, version: version + 1 };
    this.records.set(id, moved);
    return moved;
  }

  async remove(id: string): Promise<void> {
    this.records.delete(id);
  }

  async unfinished(before: Date, limit: number): Promise<Asset[]> {
    return [...this.records.values()].filter((asset) => asset.status !== 'ready' && asset.createdAt < before).slice(0, limit);
  }
}
