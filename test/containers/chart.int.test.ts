// The images `make image` builds, run as the chart runs them: every
// workload's arguments, environment, ports, probes, user and read-only root
// filesystem from `helm template`, played by podman (test/containers/release.ts).
import { podman } from '@testmancer/images';
import { user } from '../support/api';
import { expectStatus, must } from '../support/content';
import { awaitBalances, correctAnswers, publishedQuizAt, submit } from '../support/quiz';
import { awaitProbe, PROBE_KINDS, type ProbeKind } from './probes';
import { installRelease, type PlayedContainer, type Release } from './release';

// Bounds of the waits, not expectations: the chart gives a starting service 2 minutes (startupProbe).
const READY_WITHIN_MS = 150_000;
const RESTARTED_WITHIN_MS = 60_000;

let release: Release;

beforeAll(async () => {
  release = await installRelease();
  // For the support helpers' tokens (test/support/api.ts): signed with the key the gateway's Secret holds.
  process.env.TEST_JWT_SECRET = release.jwtSecret;
}, 600_000);

afterAll(async () => {
  await release?.stop();
}, 120_000);

const workload = (component: string) => `${release.name}-${component}`;
const container = (component: string): PlayedContainer =>
  release.containers.find((candidate) => candidate.workload === workload(component))!;

async function inspect(name: string): Promise<any> {
  return (JSON.parse(await podman(['container', 'inspect', name])) as any[])[0];
}

/** Every probe of `kind` the chart declares, asked until it succeeds or the bound passes. */
async function awaitProbes(kind: ProbeKind, containers: PlayedContainer[] = release.containers) {
  return Promise.all(
    containers
      .filter((candidate) => candidate.spec[kind])
      .map(async (candidate) => ({ container: candidate.name, ...(await awaitProbe(candidate, candidate.spec[kind], READY_WITHIN_MS)) })),
  );
}

test('the pre-install hook Job runs its command in the backend image to success, before any Deployment starts', async () => {
  expect(release.migration).toEqual(expect.objectContaining({ exitCode: 0 }));
  expect(release.migration.logs).toContain('migrate:up: succeeded');
  const job = await inspect(release.migration.container);
  const [jobContainer] = release.objects.find((object) => object.kind === 'Job')!.spec.template.spec.containers;
  expect({ image: job.ImageName, command: job.Config.Entrypoint }).toEqual({
    image: jobContainer.image,
    command: jobContainer.command.join(' '),
  });
  for (const played of release.containers)
    expect(Date.parse((await inspect(played.name)).Created)).toBeGreaterThan(Date.parse(job.State.FinishedAt));
});

test('every workload runs with the chart image, arguments, user, read-only root filesystem and no capabilities', async () => {
  const deployments = release.objects.filter((object) => object.kind === 'Deployment').map((object) => object.metadata.name);
  expect(new Set(release.containers.map((candidate) => candidate.workload))).toEqual(new Set(deployments));
  expect(deployments).toHaveLength(7);
  for (const played of release.containers) {
    const state = await inspect(played.name);
    expect({ name: played.name, running: state.State.Running, image: state.ImageName }).toEqual({
      name: played.name,
      running: true,
      image: played.spec.image,
    });
    const user = { ...played.pod.securityContext, ...played.spec.securityContext };
    expect(state.Config.User).toBe(`${user.runAsUser}:${user.runAsGroup}`);
    expect(state.HostConfig.ReadonlyRootfs).toBe(played.spec.securityContext.readOnlyRootFilesystem);
    expect(state.EffectiveCaps ?? []).toEqual([]);
    expect(state.HostConfig.SecurityOpt).toContain('no-new-privileges');
    if (played.spec.args) expect(state.Config.Cmd).toEqual(played.spec.args);
  }
  // The root filesystem refuses a write; the /tmp volume takes one.
  const gateway = container('gateway').name;
  await expect(podman(['exec', gateway, 'touch', '/app/written'])).rejects.toThrow(/Read-only file system/);
  await podman(['exec', gateway, 'touch', '/tmp/written']);
});

test(
  'every readiness probe the chart declares answers ready',
  async () => {
    const results = await awaitProbes('readinessProbe');
    expect(results).toHaveLength(release.containers.length);
    expect(results.filter((result) => !result.ok)).toEqual([]);
  },
  READY_WITHIN_MS + 30_000,
);

test(
  'every startup and liveness probe answers too',
  async () => {
    const results = [...(await awaitProbes('startupProbe')), ...(await awaitProbes('livenessProbe'))];
    expect(results.length).toBeGreaterThanOrEqual(release.containers.length);
    expect(results.filter((result) => !result.ok)).toEqual([]);
  },
  READY_WITHIN_MS + 30_000,
);

test('through the containerized gateway, a student reads a course and earns gems on a first attempt', async () => {
  const baseUrl = release.url(workload('gateway'), 'http');
  const quiz = await publishedQuizAt(baseUrl, 7);
  const student = await user('student');

  const course = await must(200, 'GET', `/api/courses/${quiz.courseId}`, { as: student, baseUrl });
  expect(course).toEqual(expect.objectContaining({ id: quiz.courseId, units: [expect.objectContaining({ id: quiz.moduleId })] }));
  const unit = await must(200, 'GET', `/api/courses/${quiz.courseId}/units/${quiz.moduleId}`, { as: student, baseUrl });
  expect(unit).toEqual(expect.objectContaining({ id: quiz.moduleId }));

  const attempt = await submit(student, quiz.id, correctAnswers(quiz), { baseUrl });
  expectStatus(attempt, 201);
  expect(attempt.body).toMatchObject({ attemptNumber: 1, firstAttempt: true, passed: true, gemsAwarded: 7 });
  const balances = await awaitBalances([student.sub], () => 7, { baseUrl });
  expect(balances.get(student.sub)!.history).toEqual([expect.objectContaining({ amount: 7, source: `quiz:${quiz.id}` })]);
});

test.each([
  ['admin', '/admin', 'Testmancer authoring'],
  ['student', '/', 'Testmancer courses'],
])('the %s web image serves its interface at %s and its /health', async (app, basePath, title) => {
  const origin = release.url(workload(`${app}-frontend`), 'http');
  const health = await fetch(`${origin}/health`);
  expect({ status: health.status, body: await health.json() }).toEqual({ status: 200, body: { status: 'ok' } });

  const base = `${origin}${basePath.replace(/\/$/, '')}/`;
  const page = await fetch(base);
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(html).toContain(`<title>${title}</title>`);
  expect(html).toContain(`<base href="${new URL(base).pathname}" />`);
  // Every script and style sheet the page names, resolved against its <base>, is there.
  const assets = [...html.matchAll(/(?:src|href)="(\.\/assets\/[^"]+)"/g)].map((match) => new URL(match[1]!, base).href);
  expect(assets.length).toBeGreaterThanOrEqual(2);
  for (const asset of assets) {
    const response = await fetch(asset);
    expect({ asset, status: response.status, type: response.headers.get('content-type') }).toEqual({
      asset,
      status: 200,
      type: expect.stringMatching(/javascript|css/),
    });
  }
});

test(
  'a container killed is restarted by its pod and comes back ready, and the gateway with it',
  async () => {
    const content = container('content');
    const before = await inspect(content.name);
    // As the kernel's OOM killer would: the process, from outside, with no chance to stop cleanly.
    process.kill(before.State.Pid, 'SIGKILL');
    let after = await inspect(content.name);
    for (const deadline = Date.now() + RESTARTED_WITHIN_MS; after.RestartCount === before.RestartCount && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await inspect(content.name);
    }
    expect(after.RestartCount).toBe(before.RestartCount + 1);
    expect(after.State.Pid).not.toBe(before.State.Pid);

    const results = await awaitProbes('readinessProbe', [content, container('gateway')]);
    expect(results.filter((result) => !result.ok)).toEqual([]);
    const baseUrl = release.url(workload('gateway'), 'http');
    const quiz = await publishedQuizAt(baseUrl, 3);
    expect(await must(200, 'GET', `/api/courses/${quiz.courseId}`, { as: await user('student'), baseUrl })).toEqual(
      expect.objectContaining({ id: quiz.courseId }),
    );
  },
  RESTARTED_WITHIN_MS + READY_WITHIN_MS,
);

test('the probes can fail: a stopped container answers none of them', async () => {
  const quiz = container('quiz');
  await podman(['stop', '--time', '1', quiz.name]);
  const results = await Promise.all(PROBE_KINDS.filter((kind) => quiz.spec[kind]).map((kind) => awaitProbe(quiz, quiz.spec[kind], 0)));
  expect(results.map((result) => result.ok)).toEqual(results.map(() => false));
});
