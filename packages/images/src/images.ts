import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { podman, podmanEnv } from './podman';

export const ROOT = path.resolve(__dirname, '../../..');

export type ImageName = 'backend' | 'web-admin' | 'web-student';

export interface ImageSpec {
  name: ImageName;
  /** The repository the chart pulls it from (charts/testmancer/values.yaml). */
  repository: string;
  /** What `podman build` takes besides the common arguments: the Dockerfile's target and its arguments. */
  buildArgs: string[];
}

/** The Dockerfile's three images, named as the chart's default values name them. */
export function imageSpecs(): ImageSpec[] {
  const values = parse(readFileSync(path.join(ROOT, 'charts/testmancer/values.yaml'), 'utf8')) as ChartImages;
  return [
    { name: 'backend', repository: values.image.repository, buildArgs: [] },
    ...(['admin', 'student'] as const).map((app) => ({
      name: `web-${app}` as const,
      repository: values.frontends[app].image.repository,
      buildArgs: ['--target', 'web', '--build-arg', `WEB_APP=${app}`],
    })),
  ];
}

/** What the chart's values say of the images. */
interface ChartImages {
  image: { repository: string };
  frontends: Record<'admin' | 'student', { image: { repository: string } }>;
}

const git = (args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/**
 * The checked-out commit, as `npm run deploy:backend` tags what it deploys;
 * `-dirty` after it when the working tree differs from it (the images are
 * built from the tree, not from the commit).
 */
function imageTag(): string {
  const commit = git(['rev-parse', '--short=12', 'HEAD']);
  return git(['status', '--porcelain']) === '' ? commit : `${commit}-dirty`;
}

export const imageRef = (spec: ImageSpec, tag: string) => `${spec.repository}:${tag}`;

/** Where the last build records its tag: what the container tests run, even if the tree changed since. */
const BUILT_TAG_FILE = path.join(ROOT, '.local', 'images', 'built-tag');

/** The tag of the images the last `make image` built; undefined before any. */
export function builtImageTag(): string | undefined {
  return existsSync(BUILT_TAG_FILE) ? readFileSync(BUILT_TAG_FILE, 'utf8').trim() || undefined : undefined;
}

/** npm's CA file, when npm is told to trust one (a TLS-inspecting proxy): the builds' `npm ci` needs it too. */
function npmCaFile(): string | undefined {
  const cafile = execFileSync('npm', ['config', 'get', 'cafile'], { cwd: ROOT, encoding: 'utf8' }).trim();
  return cafile && cafile !== 'null' && cafile !== 'undefined' && existsSync(cafile) ? cafile : undefined;
}

/**
 * The Dockerfile's NODE_IMAGE: NODE_IMAGE when set (the official
 * node:20.19-bookworm-slim where a registry is reachable), else the local
 * stand-in, built once (scripts/build-node-base-image.sh).
 */
function nodeImage(): string {
  if (process.env.NODE_IMAGE) return process.env.NODE_IMAGE;
  const output = execFileSync('bash', [path.join(ROOT, 'scripts/build-node-base-image.sh')], {
    cwd: ROOT,
    env: podmanEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return output.trim().split('\n').pop()!;
}

export interface BuiltImage {
  spec: ImageSpec;
  ref: string;
  buildSeconds: number;
  bytes: number;
}

export interface BuildReport {
  /** The Dockerfile's NODE_IMAGE, and how long making sure of it took (building it, or finding it built). */
  base: { ref: string; seconds: number };
  images: BuiltImage[];
}

export interface BuildOptions {
  /** More `podman build` arguments, e.g. --no-cache. */
  extraArgs?: string[];
  /** Told of each image as it is built. */
  onBuilt?: (image: BuiltImage) => void;
}

const secondsSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

/**
 * Builds the three images from the working tree with podman, tagged
 * imageTag(). Each build's output goes to .local/images/<name>.log; a
 * failed build throws with the end of it.
 */
export async function buildImages(options: BuildOptions = {}): Promise<BuildReport> {
  const logDir = path.join(ROOT, '.local', 'images');
  mkdirSync(logDir, { recursive: true });
  const tag = imageTag();
  const baseStarted = process.hrtime.bigint();
  const base = { ref: nodeImage(), seconds: secondsSince(baseStarted) };
  const cafile = npmCaFile();
  const common = [
    // The RUN steps share the host's network: npm ci reaches the registry as the host does.
    '--network',
    'host',
    '--build-arg',
    `NODE_IMAGE=${base.ref}`,
    ...(cafile ? ['--secret', `id=npm-ca,src=${cafile}`] : []),
    ...(options.extraArgs ?? []),
  ];
  const images: BuiltImage[] = [];
  for (const spec of imageSpecs()) {
    const ref = imageRef(spec, tag);
    const logFile = path.join(logDir, `${spec.name}.log`);
    const log = createWriteStream(logFile);
    const started = process.hrtime.bigint();
    const failure = await podman(['build', ...common, ...spec.buildArgs, '--tag', ref, ROOT], { log }).then(
      () => undefined,
      (error: Error) => error,
    );
    const buildSeconds = secondsSince(started);
    await new Promise((resolve) => log.end(resolve));
    if (failure) throw new Error(`building ${ref} failed (the whole log: ${logFile}):\n${tail(logFile)}`, { cause: failure });
    const image: BuiltImage = { spec, ref, buildSeconds, bytes: await imageBytes(ref) };
    options.onBuilt?.(image);
    images.push(image);
  }
  writeFileSync(BUILT_TAG_FILE, `${tag}\n`);
  return { base, images };
}

const tail = (file: string, lines = 30) => readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');

export async function imageBytes(ref: string): Promise<number> {
  return Number((await podman(['image', 'inspect', '--format', '{{.Size}}', ref])).trim());
}
