import { Title } from '@mantine/core';
import { Route, Routes } from 'react-router';
import { Shell } from '../shared/Shell';

const NAV = [{ to: '/', label: 'Catalogue' }] as const;

export function App() {
  return (
    <Shell product="Testmancer courses" nav={NAV}>
      <Routes>
        <Route path="/" element={<Title order={1}>Catalogue</Title>} />
      </Routes>
    </Shell>
  );
}
