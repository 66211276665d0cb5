// Tracing first: it must patch grpc-js and the MongoDB driver before they load.
import { startTracing } from '@testmancer/shared/tracing';
startTracing('gems');

import { exitOnStartupFailure, legacyBridge, positiveMs, runService } from '@testmancer/shared';
import { ObjectId } from 'mongodb';
import { GemsUseCases } from './application/gems';
import { Ledger } from './application/ledger';
import { createGemsMetrics } from './metrics';
import { gemsService } from './rpc/gems';
import { MongoLegacyGems } from './store/legacy-gems';
import { ledgerIndexes, MongoLedgerStore } from './store/ledger';

runService({
  name: 'gems',
  env: {
    // How often unapplied ledger entries (left by a process that died
    // between its two writes) are looked for, besides at start-up.
    GEMS_REPAIR_INTERVAL_MS: positiveMs().default(60_000),
    // Balances count what the monolith paid that the migration has not brought over yet (docs/live-migration.md).
    LEGACY_BRIDGE: legacyBridge(),
  },
  indexes: ledgerIndexes,
  async register({ db, config, logger, metrics, compareAndSet }) {
    const ledger = new Ledger(
      new MongoLedgerStore(db),
      compareAndSet,
      () => new ObjectId().toHexString(),
      () => new Date(),
      config.LEGACY_BRIDGE ? new MongoLegacyGems(db) : undefined,
    );
    const repair = () =>
      ledger.repair().then(
        (count) => count > 0 && logger.info({ count }, 'ledger repair applied unapplied entries'),
        (err: unknown) => logger.error({ err }, 'ledger repair failed; it runs again later'),
      );
    let running = repair();
    const timer = setInterval(() => {
      running = running.then(repair);
    }, config.GEMS_REPAIR_INTERVAL_MS);
    return {
      services: [gemsService({ gems: new GemsUseCases(ledger, createGemsMetrics(metrics)) })],
      async stop() {
        clearInterval(timer);
        await running;
      },
    };
  },
}).catch(exitOnStartupFailure);
