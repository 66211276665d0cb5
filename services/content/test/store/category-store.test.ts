import { categoryStoreContract } from '../contracts/category-store';
import { MemoryCategoryStore } from '../fakes/memory-stores';

describe('the in-memory categories the use-case tests run on', () => {
  categoryStoreContract(() => new MemoryCategoryStore());
});
