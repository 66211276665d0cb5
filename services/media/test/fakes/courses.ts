import type { Caller } from '@testmancer/shared';
import type { AssetUse, Courses } from '../../src/clients/content';

/** Courses by category, visible to everybody, and the pages that use assets. */
export class FakeCourses implements Courses {
  readonly categories = new Map<string, string>();
  readonly uses = new Map<string, AssetUse>();

  async categoryOf(_caller: Caller, courseId: string): Promise<string | undefined> {
    return this.categories.get(courseId);
  }

  async findAssetUse(assetId: string): Promise<AssetUse | undefined> {
    return this.uses.get(assetId);
  }
}
