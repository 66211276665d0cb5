import { progressStoreContract } from '../contracts/progress-store';
import { MemoryProgressStore } from '../fakes/memory-stores';

describe('the in-memory progress the use-case tests run on', () => {
  progressStoreContract(() => new MemoryProgressStore());
});
