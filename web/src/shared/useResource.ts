import { useCallback, useEffect, useState } from 'react';

/** Where a load stands: what a screen shows. */
export type Loaded<T> = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'ready'; data: T };

export type Resource<T> = (
  | { state: 'loading'; data?: undefined; error?: undefined }
  | { state: 'failed'; data?: undefined; error: unknown }
  | { state: 'ready'; data: T; error?: undefined }
) & {
  /** Loads again (after a change elsewhere); data on screen stays until the answer. */
  reload: () => void;
  /** Replaces the data with what a change answered, without another round trip. */
  replace: (data: T) => void;
};

const LOADING = { state: 'loading' } as const;

/**
 * Data loaded from the gateway for a screen, in both interfaces. It is loaded
 * again when `key` changes (by default `load` itself, then a stable
 * useCallback) and on reload(). A result is kept with the key it was loaded
 * for: a screen never shows the data of the previous key (a quick Next), and
 * a late answer for an old key is dropped. A reload of the same key keeps its
 * data on screen (a list being dragged stays put) until the answer.
 */
export function useResource<T>(load: () => Promise<T>, key: unknown = load): Resource<T> {
  const [round, setRound] = useState(0);
  const [settled, setSettled] = useState<{ key: unknown; result: Loaded<T> }>();
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setSettled({ key, result: { state: 'ready', data } }),
      (error: unknown) => current && setSettled({ key, result: { state: 'failed', error } }),
    );
    return () => {
      current = false;
    };
    // `key` names what `load` loads: an inline `load` is a new closure every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round]);
  // Trying again after a failure shows the load under way rather than the old error.
  const reload = useCallback(() => {
    setSettled((previous) => (previous?.result.state === 'failed' ? undefined : previous));
    setRound((value) => value + 1);
  }, []);
  const replace = useCallback((data: T) => setSettled({ key, result: { state: 'ready', data } }), [key]);
  const result = settled && Object.is(settled.key, key) ? settled.result : LOADING;
  return { ...result, reload, replace };
}
