import { Route, Routes } from 'react-router';
import { lazyWhatsNew } from '../shared/help/lazyWhatsNew';
import { lazyScreen } from '../shared/lazyScreen';
import { Shell, type Help } from '../shared/Shell';
import { NotFound } from './common/Screen';

const CataloguePage = lazyScreen(() => import('./catalogue/CataloguePage'), 'CataloguePage', 'the catalogue');
const GemsScreen = lazyScreen(() => import('./gems/GemsScreen'), 'GemsScreen', 'your gems');
const CoursePage = lazyScreen(() => import('./course/CoursePage'), 'CoursePage', 'the course');
const PageScreen = lazyScreen(() => import('./page/PageScreen'), 'PageScreen', 'the page');
const QuizScreen = lazyScreen(() => import('./quiz/QuizScreen'), 'QuizScreen', 'the quiz');
const EndScreen = lazyScreen(() => import('./course/EndScreen'), 'EndScreen', 'the end of the course');
const StudentGuideScreen = lazyScreen(() => import('./help/StudentGuideScreen'), 'StudentGuideScreen', 'the guide');

const HELP: Help = {
  app: 'student',
  guide: 'Student guide',
  WhatsNew: lazyWhatsNew(() => import('../../../docs/guides/whats-new/student.md?raw')),
};

const NAV = [
  { to: '/', label: 'Catalogue' },
  { to: '/gems', label: 'Gems' },
] as const;

export function App() {
  return (
    <Shell product="Testmancer courses" nav={NAV} help={HELP}>
      <Routes>
        <Route path="/" element={<CataloguePage />} />
        <Route path="/gems" element={<GemsScreen />} />
        <Route path="/courses/:courseId" element={<CoursePage />} />
        <Route path="/courses/:courseId/units/:unitId/pages/:pageOrder" element={<PageScreen />} />
        <Route path="/courses/:courseId/quizzes/:quizId" element={<QuizScreen />} />
        <Route path="/courses/:courseId/end" element={<EndScreen />} />
        <Route path="/guide" element={<StudentGuideScreen />} />
        <Route path="*" element={<NotFound what="page" />} />
      </Routes>
    </Shell>
  );
}
