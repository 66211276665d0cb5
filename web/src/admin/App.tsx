import { Title } from '@mantine/core';
import { Route, Routes } from 'react-router';
import { Shell } from '../shared/Shell';

const NAV = [{ to: '/', label: 'Courses' }] as const;

export function App() {
  return (
    <Shell product="Testmancer authoring" nav={NAV}>
      <Routes>
        <Route path="/" element={<Title order={1}>Courses</Title>} />
      </Routes>
    </Shell>
  );
}
