import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, call, type Schemas } from '../../shared/api/client';
import { routes } from './routes';

/** Where the student stands: nowhere yet (the course's first item), on a page, or on a quiz. */
export type From = { kind: 'start' } | { kind: 'page'; unitId: string; pageOrder: number } | { kind: 'quiz'; quizId: string };

const queryOf = (from: From) =>
  from.kind === 'page' ? { unitId: from.unitId, pageOrder: from.pageOrder } : from.kind === 'quiz' ? { quizId: from.quizId } : {};

export function screenOf(courseId: string, item: Schemas['NextItem']): string {
  switch (item.type) {
    case 'page':
      return routes.page(courseId, item.unitId, item.pageOrder);
    case 'quiz':
      return routes.quiz(courseId, item.quizId);
    case 'end':
      return routes.end(courseId);
  }
}

/** Asks the gateway what comes after `from` (it knows the path: page quizzes, unit quizzes, flags) and goes there. */
export function useGoNext(courseId: string) {
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>();
  const goNext = (from: From) => {
    setPending(true);
    setError(undefined);
    call(api.GET('/api/courses/{courseId}/next', { params: { path: { courseId }, query: queryOf(from) } })).then(
      (item) => {
        setPending(false);
        void navigate(screenOf(courseId, item));
      },
      (failure: unknown) => {
        setPending(false);
        setError(failure);
      },
    );
  };
  return { goNext, pending, error };
}
