import guide from '../../../../docs/guides/admin.md?raw';
import { GuideScreen, imagesByGuidePath } from '../../shared/help/GuideScreen';

// Only this guide's pictures: the other interface's are not this one's assets.
const images = imagesByGuidePath(
  import.meta.glob<string>('../../../../docs/guides/screenshots/admin-*.png', { eager: true, query: '?url', import: 'default' }),
);

/** The admin guide (docs/guides/admin.md) with its screenshots, from the Help menu. */
export function AdminGuideScreen() {
  return <GuideScreen markdown={guide} images={images} />;
}
