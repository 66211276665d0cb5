import { contractDatabase } from '../../../../test/support/contract-database';
import { categoryIndexes, MongoCategoryStore } from '../../src/store/categories';
import { categoryStoreContract } from '../contracts/category-store';

describe('the MongoDB category store, on the local database', () => {
  const db = contractDatabase('content_categories', [categoryIndexes]);
  categoryStoreContract(() => new MongoCategoryStore(db()));
});
