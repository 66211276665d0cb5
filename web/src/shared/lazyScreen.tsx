import { Center, Loader } from '@mantine/core';
import { lazy, Suspense, type ComponentType } from 'react';

/**
 * A screen whose code is fetched when it is first shown: each route is its own
 * chunk, so the first load carries the frame and the screen a user lands on,
 * not every editor of the interface.
 */
export function lazyScreen<Name extends string, Module extends Record<Name, ComponentType>>(
  load: () => Promise<Module>,
  name: Name,
  label: string,
): ComponentType {
  const Screen = lazy(async () => {
    const screen: ComponentType = (await load())[name];
    return { default: screen };
  });
  return function LazyScreen() {
    return (
      <Suspense
        fallback={
          <Center py="xl">
            <Loader aria-label={`Loading ${label}`} />
          </Center>
        }
      >
        <Screen />
      </Suspense>
    );
  };
}
