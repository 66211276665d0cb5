import type { Asset, AssetStatus } from '../../src/domain/asset';
import type { AssetStore, Placement } from '../../src/store/assets';

/** The asset store's guarantees in memory: each call one atomic step; a record's last change is dated by `now`, as the adapter's is. */
export class MemoryAssetStore implements AssetStore {
  readonly records = new Map<string, Asset>();
  private readonly changedAt = new Map<string, Date>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async insert(asset: Asset): Promise<void> {
    if (this.records.has(asset.id)) throw new Error(`duplicate asset ${asset.id}`);
    this.store(asset, asset.createdAt);
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
    return this.store({ ...asset, ...placement, status: 'ready', version: asset.version + 1 }, this.now());
  }

  async moveStatus(id: string, version: number, status: AssetStatus, next: AssetStatus): Promise<Asset | undefined> {
    const asset = this.records.get(id);
    if (asset?.status !== status || asset.version !== version) return undefined;
    return this.store({ ...asset, status: next, version: version + 1 }, this.now());
  }

  async remove(id: string): Promise<void> {
    this.records.delete(id);
    this.changedAt.delete(id);
  }

  async unfinished(before: Date, limit: number): Promise<Asset[]> {
    const changed = (asset: Asset) => this.changedAt.get(asset.id)!.getTime();
    return [...this.records.values()]
      .filter((asset) => asset.status !== 'ready' && changed(asset) < before.getTime())
      .sort((a, b) => changed(a) - changed(b))
      .slice(0, limit);
  }

  private store(asset: Asset, at: Date): Asset {
    this.records.set(asset.id, asset);
    this.changedAt.set(asset.id, at);
    return asset;
  }
}
