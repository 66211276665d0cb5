import { assetStoreContract } from '../contracts/asset-store';
import { MemoryAssetStore } from '../fakes/memory-assets';

describe('the in-memory asset records the use-case tests run on', () => {
  assetStoreContract((clock) => new MemoryAssetStore(clock.now));
});
