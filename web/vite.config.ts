import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const APPS = ['admin', 'student'] as const;

/**
 * Each Mantine component's stylesheet, bundled with the component itself
 * rather than all of `@mantine/core/styles.css` up front: a component's class
 * names live in its `<Name>.module.mjs`, and `styles/<Name>.css` holds exactly
 * those classes. So a chunk carries the styles of the components it renders,
 * and a screen fetched later brings its own. A component's module imports the
 * components it builds on before its own classes, so their styles come first
 * and its own override them, the order Mantine's CSS files list asks for.
 */
function mantineStylesPerComponent(): Plugin {
  const classNames = /\/@mantine\/core\/esm\/.*\/([A-Za-z]+)\.module\.mjs$/;
  return {
    name: 'mantine-styles-per-component',
    transform(code, id) {
      const name = classNames.exec(id.replace(/\?.*/, ''))?.[1];
      return name ? `${code}\nimport '@mantine/core/styles/${name}.css';\n` : undefined;
    },
  };
}

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
    plugins: [react(), mantineStylesPerComponent()],
    // The dev server would otherwise serve Mantine pre-bundled, past the plugin: no component would have its styles.
    optimizeDeps: { exclude: ['@mantine/core'] },
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
