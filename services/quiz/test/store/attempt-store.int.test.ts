import { contractDatabase } from '../../../../test/support/contract-database';
import { attemptIndexes, MongoAttemptStore } from '../../src/store/attempts';
import { attemptStoreContract } from '../contracts/attempt-store';

describe('the MongoDB attempts store, on the local database', () => {
  const db = contractDatabase('quiz_attempts', [attemptIndexes]);
  attemptStoreContract(() => new MongoAttemptStore(db()));
});
