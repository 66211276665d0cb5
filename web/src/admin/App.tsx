import { Route, Routes } from 'react-router';
import { lazyWhatsNew } from '../shared/help/lazyWhatsNew';
import { lazyScreen } from '../shared/lazyScreen';
import { Shell, type Help } from '../shared/Shell';
import { NotFound } from './Loaded';

const CoursesScreen = lazyScreen(() => import('./courses/CoursesScreen'), 'CoursesScreen', 'the courses');
const CategoriesScreen = lazyScreen(() => import('./categories/CategoriesScreen'), 'CategoriesScreen', 'the categories');
const NewCourseScreen = lazyScreen(() => import('./courses/NewCourseScreen'), 'NewCourseScreen', 'the new course form');
const CourseScreen = lazyScreen(() => import('./courses/CourseScreen'), 'CourseScreen', 'the course');
const UnitScreen = lazyScreen(() => import('./units/UnitScreen'), 'UnitScreen', 'the unit');
const PageEditorScreen = lazyScreen(() => import('./pages/PageEditorScreen'), 'PageEditorScreen', 'the page editor');
const QuizBuilderScreen = lazyScreen(() => import('./quizzes/QuizBuilderScreen'), 'QuizBuilderScreen', 'the quiz builder');
const QuizEditScreen = lazyScreen(() => import('./quizzes/QuizBuilderScreen'), 'QuizEditScreen', 'the quiz editor');
const AdminGuideScreen = lazyScreen(() => import('./help/AdminGuideScreen'), 'AdminGuideScreen', 'the guide');

const HELP: Help = {
  app: 'admin',
  guide: 'Admin guide',
  WhatsNew: lazyWhatsNew(() => import('../../../docs/guides/whats-new/admin.md?raw')),
};

const NAV = [
  { to: '/', label: 'Courses' },
  { to: '/courses/new', label: 'New course' },
  { to: '/categories', label: 'Categories' },
] as const;

/** The authoring interface of admins and subadmins. */
export function App() {
  return (
    <Shell product="Testmancer authoring" nav={NAV} help={HELP}>
      <Routes>
        <Route path="/" element={<CoursesScreen />} />
        <Route path="/categories" element={<CategoriesScreen />} />
        <Route path="/courses/new" element={<NewCourseScreen />} />
        <Route path="/courses/:courseId" element={<CourseScreen />} />
        <Route path="/courses/:courseId/units/:unitId" element={<UnitScreen />} />
        <Route path="/courses/:courseId/units/:unitId/pages/new" element={<PageEditorScreen />} />
        <Route path="/courses/:courseId/units/:unitId/pages/:pageOrder" element={<PageEditorScreen />} />
        <Route path="/courses/:courseId/units/:unitId/quizzes/new" element={<QuizBuilderScreen />} />
        <Route path="/courses/:courseId/units/:unitId/quizzes/:quizId/edit" element={<QuizEditScreen />} />
        <Route path="/guide" element={<AdminGuideScreen />} />
        <Route path="*" element={<NotFound what="screen" />} />
      </Routes>
    </Shell>
  );
}
