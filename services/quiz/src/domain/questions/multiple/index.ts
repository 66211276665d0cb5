import { quiz } from '@testmancer/contracts';
import { choiceKind } from '../choice';

/** Any number of correct options; right only when exactly those are chosen. */
export const multiple = choiceKind({ options: quiz.LIMITS.options, manyAnswers: true });
