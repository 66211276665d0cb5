// The connection budget of the local database, in one place: FerretDB's pool,
// the cluster's connection limit above it, and the largest update the proxy
// lets through.

/**
 * FerretDB's pool of PostgreSQL connections (`pool_max_conns`; FerretDB's
 * default is 50). Enough for the platform's concurrent reads on 2 cores.
 */
export const FERRETDB_POOL_SIZE = 64;

/** A private cluster's `max_connections`: the pool, plus room for set-up, tests and psql. */
export const POSTGRES_MAX_CONNECTIONS = FERRETDB_POOL_SIZE + 36;

/**
 * The most statements one `update` command may carry. FerretDB 1.24 holds a
 * pooled connection for each statement until the command ends: one with as
 * many statements as the pool has connections waits forever, and every later
 * command on every database waits behind it. The proxy's write queue keeps
 * the connections of all writes in flight together within this budget
 * (write-queue.ts), so one command may use all but one connection; readers
 * only borrow theirs for a moment.
 */
export const MAX_UPDATE_STATEMENTS = FERRETDB_POOL_SIZE - 1;
