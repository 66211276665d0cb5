import { quizStoreContract } from '../contracts/quiz-store';
import { MemoryQuizStore } from '../fakes/memory-quizzes';

describe('the in-memory quizzes the use-case tests run on', () => {
  quizStoreContract(() => new MemoryQuizStore());
});
