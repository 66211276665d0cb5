import { contractDatabase } from '../../../../test/support/contract-database';
import { assetIndexes, MongoAssetStore } from '../../src/store/assets';
import { assetStoreContract } from '../contracts/asset-store';

describe('the MongoDB asset store, on the local database', () => {
  const db = contractDatabase('media_assets', assetIndexes);
  assetStoreContract((clock) => new MongoAssetStore(db(), clock.now));
});
