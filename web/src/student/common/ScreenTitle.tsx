import { Title } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The one h1 of a screen. It takes the focus when it appears, so that after Next or a submit a
 * keyboard or screen-reader user starts at the top of the new screen, not on a button that is gone.
 */
export function ScreenTitle({ children, id }: { children: ReactNode; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <Title order={1} id={id} ref={ref} tabIndex={-1} style={{ outline: 'none' }}>
      {children}
    </Title>
  );
}
