// ESLint for every TypeScript file of the repository, with type information
// (tsconfig.lint.json). Formatting is Prettier's (eslint-config-prettier turns
// the stylistic rules off); `make lint` runs both, and `make test` runs it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'proto/gen/**',
      '.tools/**',
      '.local/**',
      'coverage/**',
      'k6/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { project: './tsconfig.lint.json', tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'import-x/no-cycle': 'error',
      // A package is used through its entry points (its package.json exports), never its sources.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^@testmancer/[^/]+/(src|dist)(/|$)', message: 'Import the package itself, not its src/ or dist/.' },
            {
              regex: '^(\\.\\./)+(\\.\\./)(packages|services|proto|migrations)/',
              message: "Another package's files: import it by its @testmancer name.",
            },
          ],
        },
      ],
      // An async function implementing a Promise-returning port need not await anything.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The browser code of the web interfaces has its own program (DOM, JSX, bundler resolution).
    files: ['web/src/**/*.{ts,tsx}', 'web/vite.config.ts'],
    languageOptions: { parserOptions: { project: './web/tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })] },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Tests and benchmarks read JSON answers, whose type is what they assert on: `any` is the honest type there.
    files: ['**/test/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  prettier,
);
