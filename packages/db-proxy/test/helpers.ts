// Shared by the db-proxy tests: the local database (PostgreSQL, FerretDB, the proxy), raw
// OP_MSG messages, and bounded waits that fail instead of hanging.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { BSON, type Document } from 'mongodb';
import { startLocalDatabase, type LocalDatabase, type LocalDatabaseOptions } from '../src/local-database';
import { OP_MSG } from '../src/wire';

export const repoRoot = path.resolve(__dirname, '../../..');
export const toolsDir = path.join(repoRoot, '.tools');

/** Building FerretDB cold takes about two minutes; the script does nothing when it is there. */
export const BUILD_TIMEOUT_MS = 300_000;

/** Builds FerretDB into .tools unless it is there; the lock keeps parallel test files from building it twice. */
export function ensureFerretDb(): string {
  fs.mkdirSync(toolsDir, { recursive: true });
  execFileSync('flock', [path.join(toolsDir, '.build.lock'), 'bash', path.join(repoRoot, 'scripts/build-ferretdb.sh'), toolsDir], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return path.join(toolsDir, 'ferretdb');
}

export interface TestDatabase extends LocalDatabase {
  /** Through the proxy. */
  proxyUri: string;
  /** Straight to FerretDB, for comparison. */
  directUri: string;
}

/** The local database as the platform starts it (relaxed durability, its own temporary folder). */
export async function startTestDatabase(options: Omit<LocalDatabaseOptions, 'toolsDir'> = {}): Promise<TestDatabase> {
  ensureFerretDb();
  const database = await startLocalDatabase({ toolsDir, ...options });
  return { ...database, proxyUri: database.uri, directUri: `mongodb://127.0.0.1:${database.ferretPort}/?directConnection=true` };
}

/** An OP_MSG with one body section, as a driver would send it. */
export function opMsg(body: Document, ids: { requestId: number; responseTo?: number }, moreToCome = false): Buffer {
  const document = Buffer.from(BSON.serialize(body));
  const header = Buffer.alloc(21);
  header.writeInt32LE(header.length + document.length, 0);
  header.writeInt32LE(ids.requestId, 4);
  header.writeInt32LE(ids.responseTo ?? 0, 8);
  header.writeInt32LE(OP_MSG, 12);
  header.writeUInt32LE(moreToCome ? 2 : 0, 16);
  header.writeUInt8(0, 20);
  return Buffer.concat([header, document]);
}

/** The body of a whole OP_MSG built as opMsg builds it. */
export function bodyOf(message: Buffer): Document {
  return BSON.deserialize(message.subarray(21));
}

export function connectRaw(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

export function writeAll(socket: net.Socket, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(bytes, (error) => (error ? reject(error) : resolve())));
}

export function closed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function waitUntil(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for: ${what}`);
    await delay(10);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
