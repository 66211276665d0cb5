import { useEffect, useState } from 'react';
import { api, call, type Schemas } from '../../shared/api/client';

type Attempt = Schemas['Attempt'];

/** The first look comes soon (a gems outage is usually short), then less and less often. */
const FIRST_LOOK_MS = 2_000;
const LONGEST_WAIT_MS = 15_000;
/** After this the screen stops asking; the gems screen still shows them when they land. */
const GIVE_UP_AFTER_MS = 5 * 60_000;

/**
 * The attempt as it stands: while its gems are on their way (`pending`),
 * the attempt is read again now and then, until they are granted. A first
 * attempt is the student's oldest at the quiz, so one attempt a read. One
 * attempt per mounted result (a retake shows a new one).
 */
export function useDeliveredGems(quizId: string, attempt: Attempt): Attempt {
  const [current, setCurrent] = useState(attempt);
  useEffect(() => {
    if (attempt.gemsStatus !== 'pending') return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const giveUpAt = Date.now() + GIVE_UP_AFTER_MS;
    const look = (waitMs: number) => {
      timer = setTimeout(() => {
        call(api.GET('/api/quizzes/{quizId}/attempts', { params: { path: { quizId }, query: { limit: 1 } } })).then(
          ({ items }) => {
            if (stopped) return;
            const seen = items.find((item) => item.id === attempt.id);
            if (seen && seen.gemsStatus !== 'pending') setCurrent(seen);
            else if (Date.now() < giveUpAt) look(Math.min(waitMs * 2, LONGEST_WAIT_MS));
          },
          // A failed look (offline, the gateway restarting) is tried again later, like a pending one.
          () => !stopped && Date.now() < giveUpAt && look(Math.min(waitMs * 2, LONGEST_WAIT_MS)),
        );
      }, waitMs);
    };
    look(FIRST_LOOK_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [quizId, attempt]);
  return current;
}
