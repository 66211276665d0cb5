import { useCallback, useEffect, useState } from 'react';

export type Loaded<T> = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'ready'; data: T };

interface Settled<T> {
  token: string;
  result: Loaded<T>;
}

/**
 * The result of an async load, redone when `key` changes or on `reload()`. A result is kept with
 * the key it was loaded for, so a screen never shows the data of the previous key (a quick Next)
 * and a late answer for an old key is ignored.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> & { reload: () => void } {
  const [round, setRound] = useState(0);
  const [settled, setSettled] = useState<Settled<T>>();
  const reload = useCallback(() => setRound((value) => value + 1), []);
  const token = `${key}#${String(round)}`;
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setSettled({ token, result: { state: 'ready', data } }),
      (error: unknown) => current && setSettled({ token, result: { state: 'failed', error } }),
    );
    return () => {
      current = false;
    };
    // `load` is a new closure every render; `token` names what it loads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);
  const result: Loaded<T> = settled?.token === token ? settled.result : { state: 'loading' };
  return { ...result, reload };
}
