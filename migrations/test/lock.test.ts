// When a lock is a dead runner's: expired, or taken on this host by a process that is gone. Never a live one's.
import { spawnSync } from 'node:child_process';
import { isDead, type LockDocument } from '../src/lock';

const lock = (over: Partial<LockDocument>): LockDocument => ({
  _id: 'migrations',
  owner: 'run:1',
  runId: 'run',
  command: 'migrate:up',
  who: 'ops@host',
  host: 'this-host',
  pid: process.pid,
  acquiredAt: new Date(0),
  expiresAt: new Date(Date.now() + 60_000),
  ...over,
});

test('a lock past its expiry is dead, wherever its holder ran', () => {
  expect(isDead(lock({ host: 'elsewhere', expiresAt: new Date(Date.now() - 1) }), new Date(), 'this-host')).toBe(true);
});

test('an unexpired lock of another host is alive (its process cannot be checked from here)', () => {
  expect(isDead(lock({ host: 'elsewhere', pid: 999_999_999 }), new Date(), 'this-host')).toBe(false);
});

test('an unexpired lock of this host is dead only when its process is gone', () => {
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  expect(isDead(lock({ pid: Number(gone) }), new Date(), 'this-host')).toBe(true);
  expect(isDead(lock({ pid: process.ppid }), new Date(), 'this-host')).toBe(false);
});
