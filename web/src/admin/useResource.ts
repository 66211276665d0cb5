import { useCallback, useEffect, useState } from 'react';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  /** Loads again (after a change elsewhere); the current data stays on screen until the answer. */
  reload: () => void;
  /** Replaces the data with what a change answered, without another round trip. */
  replace: (data: T) => void;
}

/**
 * Data loaded from the gateway for a screen. `load` must be stable (useCallback):
 * a new `load` is a new resource, and answers of an old one are dropped.
 */
export function useResource<T>(load: () => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown }>({});
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setState({ data }),
      (error: unknown) => current && setState({ error }),
    );
    return () => {
      current = false;
    };
  }, [load, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const replace = useCallback((data: T) => setState({ data }), []);
  return { data: state.data, error: state.error, reload, replace };
}
