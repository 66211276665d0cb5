import type { Caller } from '@testmancer/shared';
import type { AssetUse, CourseFacts, Courses } from '../../src/clients/content';

/** Courses by category, published and visible to everybody, and the pages that use assets. */
export class FakeCourses implements Courses {
  readonly categories = new Map<string, string>();
  readonly uses = new Map<string, AssetUse>();

  async courseOf(_caller: Caller, courseId: string): Promise<CourseFacts | undefined> {
    const categoryId = this.categories.get(courseId);
    return categoryId === undefined ? undefined : { categoryId, published: true };
  }

  async findAssetUse(assetId: string): Promise<AssetUse | undefined> {
    return this.uses.get(assetId);
  }
}
