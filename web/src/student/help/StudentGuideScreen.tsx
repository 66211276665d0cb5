import guide from '../../../../docs/guides/student.md?raw';
import { GuideScreen, imagesByGuidePath } from '../../shared/help/GuideScreen';

// Only this guide's pictures: the other interface's are not this one's assets.
const images = imagesByGuidePath(
  import.meta.glob<string>('../../../../docs/guides/screenshots/student-*.png', { eager: true, query: '?url', import: 'default' }),
);

/** The student guide (docs/guides/student.md) with its screenshots, from the Help menu. */
export function StudentGuideScreen() {
  return <GuideScreen markdown={guide} images={images} />;
}
