import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/** Mantine's defaults, with a primary shade dark enough for 4.5:1 contrast of white text (WCAG AA). */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 6 },
  defaultRadius: 'md',
});

/**
 * Dimmed text (input descriptions, secondary lines): Mantine's gray 6 measures below 4.5:1 on white; gray 7 passes.
 * A field's error (its message, its text): Mantine's red 6 measures below 4.5:1 on white too; red 9 passes.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)', '--mantine-color-error': 'var(--mantine-color-red-9)' },
  dark: {},
});
