import { quiz } from '@testmancer/contracts';
import { choiceKind } from '../choice';

/** Exactly one correct option. */
export const single = choiceKind({ options: quiz.LIMITS.options, manyAnswers: false });
