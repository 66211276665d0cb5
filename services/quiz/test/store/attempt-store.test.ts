import { attemptStoreContract } from '../contracts/attempt-store';
import { MemoryAttemptStore } from '../fakes/memory-attempts';

describe('the in-memory attempts the use-case tests run on', () => {
  attemptStoreContract(() => new MemoryAttemptStore());
});
