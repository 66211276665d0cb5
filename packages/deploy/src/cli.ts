/**
 * npm run deploy:<target> [-- --json] [-- <extra helm flags, e.g. --dry-run=server>]
 *
 * Runs the helm invocations of `deployPlan` from the project's root, with
 * helm from HELM, else the tools folder (.tools/helm, `make tools`), else
 * PATH. Prints what it runs; `--json` prints a machine-readable report
 * instead; exits non-zero when a helm step fails (and runs no later step).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEPLOY_TARGETS, DeployUsageError, deployPlan, readDeployEnvironment, type DeployTarget } from './plan';

const ROOT = path.resolve(__dirname, '../../..');

function helmBinary(env: NodeJS.ProcessEnv): string {
  if (env.HELM?.trim()) return env.HELM.trim();
  const tools = path.join(ROOT, '.tools', 'helm');
  return existsSync(tools) ? tools : 'helm';
}

function currentCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    throw new DeployUsageError('IMAGE_TAG is not set and the checked-out commit could not be read (git rev-parse HEAD)');
  }
}

interface StepReport {
  description: string;
  command: string[];
  exitCode: number | null;
}

function main(argv: string[]): number {
  const [target, ...rest] = argv;
  const json = rest.includes('--json');
  const extra = rest.filter((arg) => arg !== '--json');
  if (!target || !(DEPLOY_TARGETS as readonly string[]).includes(target)) {
    process.stderr.write(`usage: deploy <${DEPLOY_TARGETS.join('|')}> [--json] [extra helm flags]\n`);
    return 2;
  }
  let plan;
  try {
    plan = deployPlan(target as DeployTarget, readDeployEnvironment(process.env, currentCommit), extra);
  } catch (error) {
    if (!(error instanceof DeployUsageError)) throw error;
    process.stderr.write(`deploy:${target}: ${error.message}\n`);
    return 2;
  }
  const helm = helmBinary(process.env);
  const reports: StepReport[] = [];
  for (const [index, step] of plan.entries()) {
    if (!json)
      process.stdout.write(`deploy:${target} [${index + 1}/${plan.length}] ${step.description}\n  $ helm ${step.args.join(' ')}\n`);
    // With --json, helm's own output goes to stderr so that stdout is the report alone.
    const result = spawnSync(helm, step.args, {
      cwd: ROOT,
      stdio: ['inherit', json ? process.stderr : 'inherit', 'inherit'],
      env: process.env,
    });
    if (result.error) process.stderr.write(`deploy:${target}: could not run ${helm}: ${result.error.message}\n`);
    const exitCode = result.error ? null : result.status;
    reports.push({ description: step.description, command: [helm, ...step.args], exitCode });
    if (exitCode !== 0) break;
  }
  const ok = reports.length === plan.length && reports.every((report) => report.exitCode === 0);
  if (json) process.stdout.write(`${JSON.stringify({ target, ok, steps: reports }, null, 2)}\n`);
  else process.stdout.write(ok ? `deploy:${target}: done\n` : `deploy:${target}: FAILED (${reports.at(-1)?.description})\n`);
  return ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
