import { contractDatabase } from '../../../../test/support/contract-database';
import { MongoQuizStore, quizIndexes } from '../../src/store/quizzes';
import { quizStoreContract } from '../contracts/quiz-store';

describe('the MongoDB quizzes store, on the local database', () => {
  const db = contractDatabase('quiz_quizzes', [quizIndexes]);
  quizStoreContract(() => new MongoQuizStore(db()));
});
