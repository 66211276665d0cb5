/**
 * The deploy commands of the rollout guide (contracts/operations.md), as the
 * helm invocations they make. One function, `deployPlan`, turns a target and
 * the environment into helm's arguments: the CLI runs exactly what it returns,
 * and the chart's tests render the chart with exactly those arguments.
 */

export const DEPLOY_TARGETS = ['backend', 'admin-frontend', 'student-frontend', 'frontend', 'full-rollback'] as const;
export type DeployTarget = (typeof DEPLOY_TARGETS)[number];

/** The guide's flag variables, passed into the release's values as flags.<NAME>. */
export const FLAG_VARIABLES = ['STRUCTURED_COURSES_ENABLED', 'PAGE_QUIZZES_ENABLED', 'USE_MODULES_TERMINOLOGY'] as const;

/** Where the chart is, from the project's root (the guide's `cd backend`). */
export const CHART_PATH = 'charts/testmancer';

export interface DeployEnvironment {
  /** The release's name (HELM_RELEASE, default testmancer). */
  release: string;
  /** Its namespace (HELM_NAMESPACE, default testmancer). */
  namespace: string;
  /** The kube context to use (KUBE_CONTEXT), when not the current one. */
  kubeContext?: string;
  /** Values files layered first (DEPLOY_VALUES, comma-separated), e.g. the environment's own. */
  valuesFiles: string[];
  /** The backend image tag (IMAGE_TAG, default the checked-out commit). */
  imageTag: string;
  /** The frontends' image tag (FRONTEND_IMAGE_TAG, default imageTag). */
  frontendImageTag: string;
  /** How long helm waits for the release (DEPLOY_TIMEOUT, default 15m). */
  timeout: string;
  /** The revision deploy:full-rollback returns to (ROLLBACK_REVISION; default the previous one). */
  rollbackRevision?: number;
  /** The flag variables that are set (and not empty), as given. */
  flags: Partial<Record<(typeof FLAG_VARIABLES)[number], string>>;
}

export interface HelmInvocation {
  /** What this step does, for the operator. */
  description: string;
  args: string[];
}

export class DeployUsageError extends Error {
  override readonly name = 'DeployUsageError';
}

const FLAG_VALUE = /^(true|false|on|off|1|0|(\d{1,2}|100)%)$/i;
const TIMEOUT = /^\d+(s|m|h)$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const RELEASE = /^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/;

/**
 * Reads the deploy variables of the environment. Every problem is reported at
 * once, naming its variable; a flag variable that is not true/false, on/off,
 * 1/0 or a percentage is refused here rather than deployed.
 */
export function readDeployEnvironment(env: NodeJS.ProcessEnv, currentCommit: () => string): DeployEnvironment {
  const problems: string[] = [];
  const release = env.HELM_RELEASE?.trim() || 'testmancer';
  if (!RELEASE.test(release))
    problems.push(`HELM_RELEASE: must be a release name (lower case letters, digits and '-'), got ${JSON.stringify(release)}`);
  const namespace = env.HELM_NAMESPACE?.trim() || 'testmancer';
  if (!RELEASE.test(namespace)) problems.push(`HELM_NAMESPACE: must be a namespace name, got ${JSON.stringify(namespace)}`);
  const timeout = env.DEPLOY_TIMEOUT?.trim() || '15m';
  if (!TIMEOUT.test(timeout)) problems.push(`DEPLOY_TIMEOUT: must be a duration such as 15m, got ${JSON.stringify(timeout)}`);
  const imageTag = env.IMAGE_TAG?.trim() || currentCommit();
  if (!IMAGE_TAG.test(imageTag)) problems.push(`IMAGE_TAG: must be an image tag, got ${JSON.stringify(imageTag)}`);
  const frontendImageTag = env.FRONTEND_IMAGE_TAG?.trim() || imageTag;
  if (!IMAGE_TAG.test(frontendImageTag)) problems.push(`FRONTEND_IMAGE_TAG: must be an image tag, got ${JSON.stringify(frontendImageTag)}`);
  let rollbackRevision: number | undefined;
  const revision = env.ROLLBACK_REVISION?.trim();
  if (revision) {
    if (/^[1-9]\d*$/.test(revision)) rollbackRevision = Number(revision);
    else problems.push(`ROLLBACK_REVISION: must be a release revision (1, 2, ...), got ${JSON.stringify(revision)}`);
  }
  const flags: DeployEnvironment['flags'] = {};
  for (const name of FLAG_VARIABLES) {
    const value = env[name]?.trim();
    if (!value) continue;
    if (FLAG_VALUE.test(value)) flags[name] = value.toLowerCase();
    else problems.push(`${name}: expected true/false, on/off, 1/0 or a percentage from 0% to 100%, got ${JSON.stringify(value)}`);
  }
  const valuesFiles = (env.DEPLOY_VALUES ?? '')
    .split(',')
    .map((file) => file.trim())
    .filter((file) => file.length > 0);
  if (problems.length > 0) throw new DeployUsageError(`invalid deploy configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const kubeContext = env.KUBE_CONTEXT?.trim();
  return {
    release,
    namespace,
    ...(kubeContext ? { kubeContext } : {}),
    valuesFiles,
    imageTag,
    frontendImageTag,
    timeout,
    ...(rollbackRevision !== undefined ? { rollbackRevision } : {}),
    flags,
  };
}

function flagArgs(environment: DeployEnvironment): string[] {
  return FLAG_VARIABLES.flatMap((name) => {
    const value = environment.flags[name];
    return value === undefined ? [] : ['--set-string', `flags.${name}=${value}`];
  });
}

function commonArgs(environment: DeployEnvironment): string[] {
  return ['--namespace', environment.namespace, ...(environment.kubeContext ? ['--kube-context', environment.kubeContext] : [])];
}

/** What each upgrade target changes in the release's values. */
function targetArgs(target: Exclude<DeployTarget, 'full-rollback'>, environment: DeployEnvironment): string[] {
  const frontend = (which: 'admin' | 'student') => [
    '--set',
    `frontends.${which}.enabled=true`,
    '--set-string',
    `frontends.${which}.image.tag=${environment.frontendImageTag}`,
  ];
  switch (target) {
    case 'backend':
      return ['--set-string', `image.tag=${environment.imageTag}`];
    case 'admin-frontend':
      return frontend('admin');
    case 'student-frontend':
      return frontend('student');
    case 'frontend':
      return [...frontend('admin'), ...frontend('student')];
  }
}

/**
 * The helm invocations of one deploy command, in order.
 *
 * - `backend`, `admin-frontend`, `student-frontend`, `frontend`: one
 *   `helm upgrade --install`, keeping every value of the release that the
 *   command does not change (`--reset-then-reuse-values`: the chart's new
 *   defaults, the release's earlier values, then these), waiting for the pods
 *   and rolling back by itself when they do not come up (`--atomic`). The
 *   migration hook Job runs first; a failed migration fails the command.
 * - `full-rollback`: `helm rollback` to the previous (or ROLLBACK_REVISION)
 *   revision; when flag variables are set, they are then applied to the
 *   rolled-back release with an upgrade of the checked-out chart that keeps
 *   the release's values and runs no hooks (no migration forward again after
 *   a rollback).
 */
export function deployPlan(target: DeployTarget, environment: DeployEnvironment, extraHelmArgs: readonly string[] = []): HelmInvocation[] {
  const flags = flagArgs(environment);
  if (target === 'full-rollback') {
    const steps: HelmInvocation[] = [
      {
        description: `roll ${environment.release} back to ${environment.rollbackRevision === undefined ? 'its previous revision' : `revision ${environment.rollbackRevision}`}`,
        args: [
          'rollback',
          environment.release,
          ...(environment.rollbackRevision === undefined ? [] : [String(environment.rollbackRevision)]),
          ...commonArgs(environment),
          '--wait',
          '--timeout',
          environment.timeout,
          ...extraHelmArgs,
        ],
      },
    ];
    if (flags.length > 0) {
      steps.push({
        description: `apply the flag variables to the rolled-back release`,
        args: [
          'upgrade',
          environment.release,
          CHART_PATH,
          ...commonArgs(environment),
          '--reset-then-reuse-values',
          '--no-hooks',
          ...flags,
          '--wait',
          '--timeout',
          environment.timeout,
          ...extraHelmArgs,
        ],
      });
    }
    return steps;
  }
  return [
    {
      description: `deploy ${target} to ${environment.release} in ${environment.namespace}`,
      args: [
        'upgrade',
        '--install',
        environment.release,
        CHART_PATH,
        ...commonArgs(environment),
        '--reset-then-reuse-values',
        ...environment.valuesFiles.flatMap((file) => ['--values', file]),
        ...targetArgs(target, environment),
        ...flags,
        '--atomic',
        '--wait',
        '--timeout',
        environment.timeout,
        ...extraHelmArgs,
      ],
    },
  ];
}
