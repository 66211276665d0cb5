import { choiceKind } from '../choice';

/** Two options (true, false), one of them correct. */
export const trueFalse = choiceKind({ options: { min: 2, max: 2 }, manyAnswers: false });
