import { Route, Routes } from 'react-router';
import { lazyScreen } from '../shared/lazyScreen';
import { Shell } from '../shared/Shell';
import { NotFound } from './common/Screen';

const CataloguePage = lazyScreen(() => import('./catalogue/CataloguePage'), 'CataloguePage', 'the catalogue');
const GemsScreen = lazyScreen(() => import('./gems/GemsScreen'), 'GemsScreen', 'your gems');
const CoursePage = lazyScreen(() => import('./course/CoursePage'), 'CoursePage', 'the course');
const PageScreen = lazyScreen(() => import('./page/PageScreen'), 'PageScreen', 'the page');
const QuizScreen = lazyScreen(() => import('./quiz/QuizScreen'), 'QuizScreen', 'the quiz');
const EndScreen = lazyScreen(() => import('./course/EndScreen'), 'EndScreen', 'the end of the course');

const NAV = [
  { to: '/', label: 'Catalogue' },
  { to: '/gems', label: 'Gems' },
] as const;

export function App() {
  return (
    <Shell product="Testmancer courses" nav={NAV}>
      <Routes>
        <Route path="/" element={<CataloguePage />} />
        <Route path="/gems" element={<GemsScreen />} />
        <Route path="/courses/:courseId" element={<CoursePage />} />
        <Route path="/courses/:courseId/units/:unitId/pages/:pageOrder" element={<PageScreen />} />
        <Route path="/courses/:courseId/quizzes/:quizId" element={<QuizScreen />} />
        <Route path="/courses/:courseId/end" element={<EndScreen />} />
        <Route path="*" element={<NotFound what="page" />} />
      </Routes>
    </Shell>
  );
}
