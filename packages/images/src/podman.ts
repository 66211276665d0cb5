import { spawn } from 'node:child_process';
import path from 'node:path';

/** podman's configuration here (default ulimits dropped, runc): packages/images/containers.conf. */
export const CONTAINERS_CONF = path.resolve(__dirname, '..', 'containers.conf');

/** podman's environment: this repository's configuration. */
export const podmanEnv = (): NodeJS.ProcessEnv => ({ ...process.env, CONTAINERS_CONF });

export interface PodmanOptions {
  /** Where podman's output and errors go as they come (a build's progress); the answer is then empty. */
  log?: NodeJS.WritableStream;
}

export class PodmanError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`podman ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim() || '(its errors are in its log)'}`);
  }
}

/** Runs podman with this repository's configuration; answers its standard output, or throws PodmanError. */
export function podman(args: readonly string[], options: PodmanOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('podman', args, { env: podmanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    if (options.log) {
      child.stdout.pipe(options.log, { end: false });
      child.stderr.pipe(options.log, { end: false });
    } else {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    }
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error("podman is missing: `make podman` installs Debian's podman and runc") : error),
    );
    child.once('close', (code) => (code === 0 ? resolve(stdout) : reject(new PodmanError(args, code, stderr))));
  });
}
