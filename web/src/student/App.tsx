import { Route, Routes } from 'react-router';
import { Shell } from '../shared/Shell';
import { CataloguePage } from './catalogue/CataloguePage';
import { NotFound } from './common/Screen';
import { CoursePage } from './course/CoursePage';
import { EndScreen } from './course/EndScreen';
import { GemsScreen } from './gems/GemsScreen';
import { PageScreen } from './page/PageScreen';
import { QuizScreen } from './quiz/QuizScreen';

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
