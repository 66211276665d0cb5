import { contractDatabase } from '../../../../test/support/contract-database';
import { MongoProgressStore } from '../../src/store/progress';
import { progressStoreContract } from '../contracts/progress-store';

describe('the MongoDB progress store, on the local database', () => {
  // Progress is read and written by _id alone: no index of its own.
  const db = contractDatabase('content_progress', [{ collection: 'progress', indexes: [] }]);
  progressStoreContract(() => new MongoProgressStore(db()));
});
