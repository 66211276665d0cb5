import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';

/** One upload's bytes on their way to local disk, written in order with backpressure. */
export interface StagingFile {
  readonly path: string;
  write(chunk: Buffer): Promise<void>;
  /** Flushes and closes the file; its bytes are then all on disk. */
  close(): Promise<void>;
  /** Removes the file, whatever state it is in (a provider may already have moved it). */
  discard(): Promise<void>;
}

/**
 * Where uploads wait, whole, until they have been checked and handed to the
 * provider: nothing reaches the provider before the service has seen every
 * byte, and no upload is ever held in memory.
 */
export interface StagingArea {
  open(): Promise<StagingFile>;
  /** Removes files left by uploads that died with their process; returns how many. */
  sweep(olderThan: Date): Promise<number>;
}

class DiskStagingFile implements StagingFile {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'wx' });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  /** A write error surfaces at the next call (the stream reports it as an event). */
  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  async write(chunk: Buffer): Promise<void> {
    this.throwIfFailed();
    // `once` rejects when the stream fails while waiting.
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
    this.throwIfFailed();
  }

  async close(): Promise<void> {
    this.throwIfFailed();
    this.stream.end();
    await once(this.stream, 'close');
    this.throwIfFailed();
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await rm(this.path, { force: true });
  }
}

export class DiskStagingArea implements StagingArea {
  constructor(private readonly directory: string) {}

  async open(): Promise<StagingFile> {
    await mkdir(this.directory, { recursive: true });
    // A random name: nothing the client sent ever becomes part of a path.
    return new DiskStagingFile(join(this.directory, `${randomUUID()}.part`));
  }

  async sweep(olderThan: Date): Promise<number> {
    const names = await readdir(this.directory).catch(() => []);
    let removed = 0;
    for (const name of names.filter((candidate) => candidate.endsWith('.part'))) {
      const path = join(this.directory, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtime < olderThan) {
        await rm(path, { force: true });
        removed += 1;
      }
    }
    return removed;
  }
}
