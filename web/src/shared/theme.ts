import { createTheme } from '@mantine/core';

/** Mantine's defaults, with a primary shade dark enough for 4.5:1 contrast of white text (WCAG AA). */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 6 },
  defaultRadius: 'md',
});
