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
 * Data loaded from the gateway for a screen, in both interfaces, loaded again
 * on reload() and when what it loads changes. Two ways to say what it loads:
 * - `load` alone, a stable useCallback: a new `load` (its inputs changed, say
 *   the course's version after an edit) is the same thing asked again, and
 *   the data on screen stays until the answer, so an author's list never
 *   blinks out under them.
 * - a `key` (then `load` may be a new closure every render): a new key is
 *   another thing, never shown with the previous key's data (a quick Next).
 * A late answer to an earlier load is dropped either way.
 */
export function useResource<T>(load: () => Promise<T>, key?: string): Resource<T> {
  const [round, setRound] = useState(0);
  const [settled, setSettled] = useState<{ key: string | undefined; result: Loaded<T> }>();
  const loadsAgainOn = key ?? load;
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setSettled({ key, result: { state: 'ready', data } }),
      (error: unknown) => current && setSettled({ key, result: { state: 'failed', error } }),
    );
    return () => {
      current = false;
    };
    // With a key, `load` may be a new closure every render: the key names what it loads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loadsAgainOn, round]);
  // Trying again after a failure shows the load under way rather than the old error.
  const reload = useCallback(() => {
    setSettled((previous) => (previous?.result.state === 'failed' ? undefined : previous));
    setRound((value) => value + 1);
  }, []);
  const replace = useCallback((data: T) => setSettled({ key, result: { state: 'ready', data } }), [key]);
  const result = settled && settled.key === key ? settled.result : LOADING;
  return { ...result, reload, replace };
}
