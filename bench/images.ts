/**
 * `npm run bench:images [-- --cold]`: builds the three images as `make image`
 * does (with --cold, without podman's layer cache; the local Node.js base is
 * reused either way) and prints each one's build time, size and layers, and
 * what makes up its largest layer and the largest layer the Dockerfile adds
 * (the base's layers are the Node.js image's).
 */
import { buildImages, layerMakeup, layers, type Layer } from '@testmancer/images';

const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`.padStart(10);
const SHOWN_PARTS = 12;

function printMakeup(title: string, layer: Layer): void {
  const parts = layerMakeup(layer.directory);
  process.stdout.write(
    `  ${title}: ${MB(layer.bytes).trim()}, ${layer.createdBy.replace(/^\/bin\/sh -c (#\(nop\) )?/, '').slice(0, 90)}\n`,
  );
  for (const part of parts.slice(0, SHOWN_PARTS)) process.stdout.write(`    ${MB(part.bytes)}  ${part.part}\n`);
  const rest = parts.slice(SHOWN_PARTS);
  if (rest.length > 0) process.stdout.write(`    ${MB(rest.reduce((sum, part) => sum + part.bytes, 0))}  ${rest.length} other parts\n`);
}

async function main(): Promise<void> {
  const cold = process.argv.includes('--cold');
  const report = await buildImages({ extraArgs: cold ? ['--no-cache'] : [] });
  process.stdout.write(
    `${cold ? 'cold (--no-cache)' : 'warm'} builds on ${report.base.ref} (ready in ${report.base.seconds.toFixed(1)} s)\n`,
  );
  const baseLayers = (await layers(report.base.ref)).length;
  for (const image of report.images) {
    const all = await layers(image.ref);
    process.stdout.write(`\n${image.ref}: ${MB(image.bytes).trim()}, built in ${image.buildSeconds.toFixed(1)} s\n`);
    for (const [i, layer] of all.entries())
      process.stdout.write(
        `  ${MB(layer.bytes)}  ${i < baseLayers ? '(base) ' : ''}${layer.createdBy.replace(/^\/bin\/sh -c (#\(nop\) )?/, '').slice(0, 90)}\n`,
      );
    const largest = (candidates: Layer[]) => candidates.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const overall = largest(all);
    printMakeup('largest layer', overall);
    const own = largest(all.slice(baseLayers));
    if (own !== overall) printMakeup("the Dockerfile's largest layer", own);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench:images: ${error.message}\n`);
  process.exitCode = 1;
});
