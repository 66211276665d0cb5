import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { podman } from './podman';

export interface Layer {
  /** The Dockerfile instruction (or the base image's) that made it. */
  createdBy: string;
  bytes: number;
  /** Its files in podman's storage (the overlay driver's diff directory). */
  directory: string;
}

/** An image's layers, the base image's first. */
export async function layers(ref: string): Promise<Layer[]> {
  const [driver, data] = (await podman(['image', 'inspect', '--format', '{{.GraphDriver.Name}} {{json .GraphDriver.Data}}', ref]))
    .trim()
    .split(/ (.*)/s) as [string, string];
  if (driver !== 'overlay') throw new Error(`${ref} is stored by the ${driver} driver; the layers are read from overlay's directories`);
  const { LowerDir, UpperDir } = JSON.parse(data) as { LowerDir?: string; UpperDir: string };
  const directories = [...(LowerDir ? LowerDir.split(':').reverse() : []), UpperDir];
  // Instructions that change no file (ENV, USER, ...) are history without a layer.
  const history = (JSON.parse(await podman(['history', '--format', 'json', ref])) as { CreatedBy: string; size: number }[])
    .reverse()
    .filter((entry) => entry.size > 0);
  if (history.length !== directories.length)
    throw new Error(`${ref}: ${history.length} history entries with files, ${directories.length} layers: cannot tell which is which`);
  return history.map((entry, i) => ({ createdBy: entry.CreatedBy, bytes: entry.size, directory: directories[i]! }));
}

/**
 * What a layer holds, summed by part: an npm package (everything under
 * node_modules/<name>, its own node_modules included), else the first
 * three levels of the path. Largest first.
 */
export function layerMakeup(directory: string): { part: string; bytes: number }[] {
  const sums = new Map<string, number>();
  const walk = (relative: string) => {
    for (const name of readdirSync(path.join(directory, relative))) {
      const child = relative ? `${relative}/${name}` : name;
      const stat = lstatSync(path.join(directory, child));
      if (stat.isDirectory()) walk(child);
      else if (stat.isFile() || stat.isSymbolicLink()) {
        const part = partOf(child);
        sums.set(part, (sums.get(part) ?? 0) + stat.size);
      }
    }
  };
  walk('');
  return [...sums].map(([part, bytes]) => ({ part, bytes })).sort((a, b) => b.bytes - a.bytes);
}

function partOf(file: string): string {
  const parts = file.split('/');
  const modules = parts.indexOf('node_modules');
  if (modules >= 0 && modules + 1 < parts.length - 1) {
    const scoped = parts[modules + 1]!.startsWith('@');
    return parts.slice(0, modules + (scoped ? 3 : 2)).join('/');
  }
  return parts.slice(0, Math.min(3, parts.length)).join('/');
}
