import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const APPS = ['admin', 'student'] as const;

/**
 * One configuration, two interfaces: `vite build --mode admin` and `--mode
 * student` each build their own entry (src/<app>/index.html) into dist/<app>.
 * Asset URLs are relative: the static server sets <base> to wherever the app is
 * mounted (/admin, /), so one build serves under any path.
 */
export default defineConfig(({ mode }) => {
  const app = APPS.find((name) => name === mode);
  if (!app) throw new Error(`build with --mode ${APPS.join(' or --mode ')}`);
  return {
    root: path.resolve(import.meta.dirname, 'src', app),
    base: './',
    plugins: [react()],
    build: {
      outDir: path.resolve(import.meta.dirname, 'dist', app),
      emptyOutDir: true,
      // .vite/manifest.json: which chunks a screen loads, for `npm run bench:web-bundles` (the static server serves no dotfiles).
      manifest: true,
      // The bundle sizes are reported by `npm run bench:web-bundles`; this only keeps Vite from warning about Mantine's size.
      chunkSizeWarningLimit: 1024,
    },
  };
});
