export { startWriteSerializingProxy, isWriteCommand, HOUSEKEEPING_COMMANDS, WRITE_COMMANDS } from './proxy';
export type { ProxyOptions, ProxyStats, ReleaseSlot, WriteSerializingProxy, WriteTimes } from './proxy';
export { startFerretDb } from './ferretdb';
export type { FerretDb, FerretDbOptions } from './ferretdb';
export { startLocalDatabase } from './local-database';
export type { LocalDatabase, LocalDatabaseOptions } from './local-database';
export { freePort, freePorts } from './free-port';
export { MessageFramer, parseMessage, readHeader, WireProtocolError } from './wire';
export type { MessageHeader, MessageInfo } from './wire';
export { redact } from './postgres';
export type { Durability } from './postgres';
/** The largest update batch the local database takes: migrations and bulk jobs batch below it. */
export { MAX_UPDATE_STATEMENTS } from './limits';
