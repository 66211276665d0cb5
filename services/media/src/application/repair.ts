import type { Logger } from '@testmancer/shared';
import type { Courses } from '../clients/content';
import type { MediaMetrics } from '../metrics';
import type { MediaProvider } from '../providers/provider';
import type { AssetStore } from '../store/assets';
import type { DirectUploadStore } from '../store/direct-uploads';
import type { StagingArea } from '../store/staging';
import type { Assets } from './assets';

const BATCH = 50;

export interface RepairDependencies {
  assets: AssetStore;
  directUploads: DirectUploadStore;
  provider: Pick<MediaProvider, 'removeReceived'>;
  staging: StagingArea;
  courses: Courses;
  removal: Pick<Assets, 'removeStored'>;
  metrics: MediaMetrics;
  logger: Logger;
  /** Older than this, an unfinished upload or delete belongs to a process that died. */
  unfinishedAfterMs: number;
  now?: () => Date;
}

/**
 * Finishes what a dead process left: uploads recorded but never made ready
 * are removed (record and provider bytes), deletes decided but not done are
 * done unless a page uses the asset after all, and staged files are swept.
 * And once a direct upload's signature has expired (plus the same margin),
 * whatever the provider holds under its id that is not an asset is removed:
 * a file never confirmed, refused, or sent again after its asset was deleted.
 */
export class Repair {
  constructor(private readonly deps: RepairDependencies) {}

  async run(): Promise<number> {
    const { assets, staging, courses, removal, metrics } = this.deps;
    const before = new Date((this.deps.now?.() ?? new Date()).getTime() - this.deps.unfinishedAfterMs);
    let repaired = await staging.sweep(before);
    for (const asset of await assets.unfinished(before, BATCH)) {
      if (asset.status === 'deleting' && (await courses.findAssetUse(asset.id))) {
        await assets.moveStatus(asset.id, asset.version, 'deleting', 'ready');
      } else {
        await removal.removeStored(asset);
      }
      metrics.repaired.inc({ status: asset.status });
      repaired += 1;
    }
    return repaired + (await this.expireDirectUploads(before));
  }

  private async expireDirectUploads(before: Date): Promise<number> {
    const { assets, directUploads, provider, metrics } = this.deps;
    let removed = 0;
    for (const upload of await directUploads.expired(before, BATCH)) {
      // Taken first, so that a confirmation arriving now finds the upload gone.
      const taken =
        upload.status === 'expired' ? upload : await directUploads.moveStatus(upload.id, upload.version, upload.status, 'expired');
      if (!taken) continue;
      if (!(await assets.byId(upload.id))) {
        await provider.removeReceived({ courseId: upload.courseId, assetId: upload.id, ...(upload.kind && { kind: upload.kind }) });
        metrics.repaired.inc({ status: 'unconfirmed' });
        removed += 1;
      }
      await directUploads.remove(upload.id);
    }
    return removed;
  }
}
