#!/usr/bin/env node
// Runs the local database until SIGINT or SIGTERM:
//   node packages/db-proxy/dist/cli.js [--tools .tools] [--data DIR] [--port N]
// and prints `MONGODB_URI=<uri>` on stdout once it accepts connections.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalDatabase } from './local-database';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tools: { type: 'string', default: '.tools' },
      data: { type: 'string' },
      port: { type: 'string' },
    },
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new Error(`--port must be a TCP port number, not "${values.port}"`);
  }

  const database = await startLocalDatabase({
    toolsDir: path.resolve(values.tools),
    ...(values.data === undefined ? {} : { dataDir: path.resolve(values.data) }),
    ...(port === undefined ? {} : { port }),
  });
  process.stdout.write(`MONGODB_URI=${database.uri}\n`);

  const stop = (): void => {
    database.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`db-proxy: stopping failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`db-proxy: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
