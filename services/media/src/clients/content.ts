import { isGrpcStatus, Status, type Caller, type ServiceClient } from '@testmancer/shared';
import { contentV1 } from '@testmancer/proto';

/** A page that uses an asset. */
export interface AssetUse {
  readonly courseId: string;
  readonly unitId: string;
  readonly pageId: string;
  readonly pageTitle: string;
}

/** What media needs of a course: whose it is, and whether anyone may see it. */
export interface CourseFacts {
  readonly categoryId: string;
  readonly published: boolean;
}

/** What the media service needs to know about courses and pages: the content service's. */
export interface Courses {
  /** The course, when `caller` may see it (the content service's rule); undefined otherwise. */
  courseOf(caller: Caller, courseId: string): Promise<CourseFacts | undefined>;
  /** A page whose blocks use the asset, if any. */
  findAssetUse(assetId: string): Promise<AssetUse | undefined>;
}

export class ContentCourses implements Courses {
  constructor(private readonly client: ServiceClient<typeof contentV1.ContentServiceService>) {}

  async courseOf(caller: Caller, courseId: string): Promise<CourseFacts | undefined> {
    try {
      const { course } = await this.client.getCourse({ id: courseId, knownVersion: 0 }, { caller });
      return course && { categoryId: course.categoryId, published: course.status === contentV1.CourseStatus.PUBLISHED };
    } catch (error) {
      if (isGrpcStatus(error) && error.code === Status.NOT_FOUND) return undefined;
      throw error;
    }
  }

  async findAssetUse(assetId: string): Promise<AssetUse | undefined> {
    const use = await this.client.findAssetUse({ assetId });
    return use.used ? { courseId: use.courseId, unitId: use.unitId, pageId: use.pageId, pageTitle: use.pageTitle } : undefined;
  }
}
