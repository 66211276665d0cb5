// A database server run as a child process (PostgreSQL, FerretDB): started,
// polled until it is ready, stopped with a grace period, and able to say why
// it did not start.
import { spawn } from 'node:child_process';

const POLL_INTERVAL_MS = 50;
const OUTPUT_TAIL_BYTES = 4096;

export interface ServerProcessOptions {
  /** What error messages call it, e.g. `FerretDB (/path/ferretdb)`. */
  label: string;
  command: string;
  args: readonly string[];
  /** True once the server serves; polled until then. */
  isReady(): Promise<boolean>;
  /** Where it should be ready, for the error message. */
  readyWhere: string;
  startTimeoutMs: number;
  stopSignal: NodeJS.Signals;
  /** How long stop() waits after stopSignal before SIGKILL. */
  stopGraceMs: number;
}

export interface ServerProcess {
  stop(): Promise<void>;
  /** An error naming `what` went wrong, with the server's last output. */
  failure(what: string): Error;
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(options.command, [...options.args], { stdio: ['ignore', 'pipe', 'pipe'] });

  // Kept so that a failed start can say why; the pipes must be read anyway,
  // or a chatty server would block on a full pipe.
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exitReason ??= error.message;
      resolve();
    });
    // 'close' rather than 'exit': it comes after the pipes are drained, so the
    // output kept for the error message is complete.
    child.once('close', (code, signal) => {
      exitReason ??= signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (exitReason !== undefined) return;
    child.kill(options.stopSignal);
    const kill = setTimeout(() => child.kill('SIGKILL'), options.stopGraceMs);
    await exited;
    clearTimeout(kill);
  };
  const failure = (what: string): Error => new Error(`${options.label} ${what}; its last output:\n${output.trim() || '(none)'}`);

  const deadline = Date.now() + options.startTimeoutMs;
  for (;;) {
    if (exitReason !== undefined) throw failure(`exited during start-up (${exitReason})`);
    if (await options.isReady()) break;
    if (Date.now() > deadline) {
      await stop();
      throw failure(`was not ready on ${options.readyWhere} within ${options.startTimeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return { stop, failure };
}
