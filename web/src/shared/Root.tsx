// Mantine's global styles, before any component's (each comes with its component: see vite.config.ts). Its default
// CSS variables are not among them: the provider writes them all (deduplicateCssVariables off), from code the page
// runs anyway to write the theme's own, so the stylesheet of the defaults would be 4 KiB (gzip) fetched for nothing.
import '@mantine/core/styles/baseline.css';
import '@mantine/core/styles/global.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { basePath } from './config';
import { SignedIn, type Role } from './session';
import { cssVariablesResolver, theme } from './theme';

/** Mounts an interface: Mantine, the router under the app's base path, and the sign-in gate. */
export function mount(options: { title: string; roles: readonly Role[]; app: ReactNode }): void {
  const element = document.getElementById('root');
  if (!element) throw new Error('no #root element');
  createRoot(element).render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} deduplicateCssVariables={false}>
        <BrowserRouter basename={basePath()}>
          <SignedIn roles={options.roles} title={options.title}>
            {options.app}
          </SignedIn>
        </BrowserRouter>
      </MantineProvider>
    </StrictMode>,
  );
}
