import { ledgerStoreContract } from '../contracts/ledger-store';
import { MemoryLedgerStore } from '../fakes/memory-ledger-store';

describe('the in-memory ledger the protocol tests run on', () => {
  ledgerStoreContract(() => new MemoryLedgerStore());
});
