import type { Logger } from '@testmancer/shared';
import type { Courses } from '../clients/content';
import type { MediaMetrics } from '../metrics';
import type { AssetStore } from '../store/assets';
import type { StagingArea } from '../store/staging';
import type { Assets } from './assets';

const BATCH = 50;

export interface RepairDependencies {
  assets: AssetStore;
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
    return repaired;
  }
}
