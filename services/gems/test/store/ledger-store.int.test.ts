import { contractDatabase } from '../../../../test/support/contract-database';
import { ledgerIndexes, MongoLedgerStore } from '../../src/store/ledger';
import { ledgerStoreContract } from '../contracts/ledger-store';

describe('the MongoDB ledger store, on the local database', () => {
  const db = contractDatabase('gems_ledger', ledgerIndexes);
  ledgerStoreContract(() => new MongoLedgerStore(db()));
});
