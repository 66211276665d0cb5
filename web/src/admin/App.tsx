import { Route, Routes } from 'react-router';
import { Shell } from '../shared/Shell';
import { CategoriesScreen } from './categories/CategoriesScreen';
import { CourseScreen } from './courses/CourseScreen';
import { CoursesScreen } from './courses/CoursesScreen';
import { NewCourseScreen } from './courses/NewCourseScreen';
import { NotFound } from './Loaded';
import { PageEditorScreen } from './pages/PageEditorScreen';
import { QuizBuilderScreen } from './quizzes/QuizBuilderScreen';
import { UnitScreen } from './units/UnitScreen';

const NAV = [
  { to: '/', label: 'Courses' },
  { to: '/courses/new', label: 'New course' },
  { to: '/categories', label: 'Categories' },
] as const;

/** The authoring interface of admins and subadmins. */
export function App() {
  return (
    <Shell product="Testmancer authoring" nav={NAV}>
      <Routes>
        <Route path="/" element={<CoursesScreen />} />
        <Route path="/categories" element={<CategoriesScreen />} />
        <Route path="/courses/new" element={<NewCourseScreen />} />
        <Route path="/courses/:courseId" element={<CourseScreen />} />
        <Route path="/courses/:courseId/units/:unitId" element={<UnitScreen />} />
        <Route path="/courses/:courseId/units/:unitId/pages/new" element={<PageEditorScreen />} />
        <Route path="/courses/:courseId/units/:unitId/pages/:pageOrder" element={<PageEditorScreen />} />
        <Route path="/courses/:courseId/units/:unitId/quizzes/new" element={<QuizBuilderScreen />} />
        <Route path="*" element={<NotFound what="screen" />} />
      </Routes>
    </Shell>
  );
}
