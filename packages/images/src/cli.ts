/**
 * `make image`: the backend image and both web images, built with podman
 * from the Dockerfile and tagged with the checked-out commit; prints each
 * one's build time and size (`npm run bench:images` adds their layers).
 * Arguments go to every `podman build` (e.g. --no-cache).
 */
import { buildImages } from './images';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

buildImages({
  extraArgs: process.argv.slice(2),
  onBuilt: (image) =>
    process.stdout.write(
      `${image.ref.padEnd(52)} built in ${image.buildSeconds.toFixed(1).padStart(6)} s  ${mb(image.bytes).padStart(10)}\n`,
    ),
}).then(
  ({ base }) => process.stdout.write(`on ${base.ref} (ready in ${base.seconds.toFixed(1)} s)\n`),
  (error: Error) => {
    process.stderr.write(`make image: ${error.message}\n`);
    process.exitCode = 1;
  },
);
