import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { BACKEND, ROOT, named, podSpec, render } from './helm';

// Without a container runtime: the entrypoint starts the process the chart
// names, and the Dockerfile's promises. The images themselves are built by
// `make image` and run as the chart runs them by the containers project
// (test/containers).
const run = promisify(execFile);

test.each(BACKEND)('the image entrypoint starts %s, the process the chart names', async (component) => {
  const objects = await render(['ci/minimal-values.yaml']);
  expect(podSpec(named(objects, 'Deployment', `testmancer-${component}`)).containers[0].args).toEqual([component]);
  // Without its configuration the process refuses to start, naming what is missing: proof it is that process.
  const failure = await run('sh', [path.join(ROOT, 'scripts/docker-entrypoint.sh'), component], {
    env: { PATH: process.env.PATH, APP_ROOT: ROOT, OTEL_TRACES_EXPORTER: 'none' },
  }).then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
  expect(failure?.code).toBe(1);
  expect(failure?.stderr).toContain('invalid configuration');
  expect(failure?.stderr).toContain(component === 'gateway' ? 'CONTENT_ADDR' : 'MONGODB_URI');
});

test("the entrypoint runs any other command as given (the migration Job's npm run)", async () => {
  const { stdout } = await run('sh', [path.join(ROOT, 'scripts/docker-entrypoint.sh'), 'echo', 'migrate:up'], {
    env: { PATH: process.env.PATH },
  });
  expect(stdout).toBe('migrate:up\n');
});

test('the Dockerfile: multi-stage, non-root, the entrypoint, the context without secrets or caches', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((match) => match[1]);
  // `docker build` without --target builds the last stage: the backend's.
  expect(stages).toEqual(['build', 'web', 'runtime']);
  expect(dockerfile.match(/^USER 1000:1000$/gm)).toHaveLength(2);
  expect(dockerfile).toContain('ENTRYPOINT ["node", "/app/web/server/dist/main.js"]');
  expect(dockerfile).toContain('ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]');
  expect(dockerfile).toContain('npm prune --omit=dev');
  const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
  for (const entry of ['.git', '**/node_modules', '**/dist', '.tools', '.local']) expect(ignored).toContain(entry);
});
