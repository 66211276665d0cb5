import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every `npm run <script>` (also `-w <workspace>` / `--workspace`), `npm test`,
 * `npm start` and `make <target>` that a Markdown file names in a code span or
 * a code block must be one the project has: the script in the right
 * package.json's `scripts`, the target a rule of the Makefile. An operator who
 * copies a command out of the troubleshooting guide at three in the morning
 * must not meet `npm error Missing script`.
 *
 * Checked: every Markdown file git knows or would add (tracked, or new and not
 * ignored), docs/ and README.md among them. And the troubleshooting guide
 * itself: its four cases, each with at least one command to run.
 */
const ROOT = path.resolve(__dirname, '../..');
const GUIDE = 'docs/guides/troubleshooting.md';

const markdownFiles = (): string[] =>
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', '*.md'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file && !file.split('/').includes('node_modules') && existsSync(path.join(ROOT, file)));

// ---------------------------------------------------------------- what the project has

interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  workspaces?: string[];
}
const readPackage = (dir: string): PackageJson => JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as PackageJson;

const rootPackage = readPackage('.');

/** The workspaces of the root package.json (folders, `packages/*` expanded), by folder. */
function workspaces(): Map<string, PackageJson> {
  const found = new Map<string, PackageJson>();
  for (const pattern of rootPackage.workspaces ?? []) {
    const dirs = pattern.endsWith('/*')
      ? readdirSync(path.join(ROOT, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern];
    for (const dir of dirs) if (existsSync(path.join(ROOT, dir, 'package.json'))) found.set(dir, readPackage(dir));
  }
  return found;
}
const WORKSPACES = workspaces();

/** `-w bench`, `-w @testmancer/web`, `--workspace=web/server`: npm takes a folder or a package name. */
function workspaceNamed(named: string): [string, PackageJson] | undefined {
  const folder = named.replace(/^\.\//, '').replace(/\/$/, '');
  for (const [dir, pkg] of WORKSPACES) if (dir === folder || pkg.name === named) return [dir, pkg];
  return undefined;
}

/** The Makefile's rule targets (`dev: build tools ## ...`), not its variable assignments (`SHELL := bash`). */
function makeTargets(): Set<string> {
  const targets = new Set<string>();
  for (const line of readFileSync(path.join(ROOT, 'Makefile'), 'utf8').split('\n')) {
    if (line.startsWith('\t') || line.startsWith('#')) continue;
    const rule = /^([^:=#\s][^:=#]*?)\s*::?(?!=)/.exec(line);
    if (!rule) continue;
    for (const target of rule[1]!.split(/\s+/)) if (!target.includes('$(') && !target.startsWith('.')) targets.add(target);
  }
  return targets;
}
const MAKE_TARGETS = makeTargets();

// ---------------------------------------------------------------- what the docs say

/**
 * The code of a Markdown file: fenced blocks, indented blocks (four spaces
 * after a blank line, as the README writes its shell sessions) and inline
 * code spans, each a separate piece so that a command starts a span.
 */
const spansOf = (text: string): string[] => [...text.matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)].map((match) => match[2]!.trim());

function codeOf(markdown: string): string[] {
  const pieces: string[] = [];
  const lines = markdown.split('\n');
  let prose: string[] = [];
  const flushProse = () => {
    pieces.push(...spansOf(prose.join('\n')));
    prose = [];
  };
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const fence = /^\s*(```+|~~~+)/.exec(line);
    if (fence) {
      flushProse();
      const block: string[] = [];
      for (i += 1; i < lines.length && !lines[i]!.trim().startsWith(fence[1]!); i += 1) block.push(lines[i]!);
      pieces.push(block.join('\n'));
      continue;
    }
    if (/^ {4,}\S/.test(line) && (i === 0 || lines[i - 1]!.trim() === '')) {
      flushProse();
      const block: string[] = [];
      for (; i < lines.length && (/^ {4,}/.test(lines[i]!) || lines[i]!.trim() === ''); i += 1) block.push(lines[i]!);
      i -= 1;
      // A paragraph indented under a list item reads the same way: its code spans count too.
      pieces.push(block.join('\n'), ...spansOf(block.join('\n')));
      continue;
    }
    prose.push(line);
  }
  flushProse();
  return pieces;
}

interface Command {
  /** As written, for the message. */
  text: string;
  kind: 'npm' | 'make';
  /** npm: the script (`test` for `npm test`); make: the targets. */
  names: string[];
  /** npm: the workspace asked for with -w / --workspace. */
  workspace?: string;
  /** npm --workspaces / -ws: every workspace. */
  allWorkspaces?: boolean;
  ifPresent?: boolean;
}

/** Where a command may start in a line of shell: its start, after an operator, after `$ ` or `VAR=value ` assignments. */
const COMMAND_START = String.raw`(?:^|[;&|(]\s*|\$\s+|\n\s*)(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*`;
const NPM = new RegExp(`${COMMAND_START}npm\\s+(run(?:-script)?|test|start|t)\\b([^\\n;&|#)]*)`, 'g');
const MAKE = new RegExp(`${COMMAND_START}make\\b([^\\n;&|#)]*)`, 'g');

const words = (text: string) => text.trim().split(/\s+/).filter(Boolean);

function commandsIn(code: string): Command[] {
  const found: Command[] = [];
  for (const match of code.matchAll(NPM)) {
    const [verb, rest] = [match[1]!, match[2]!];
    const text = `npm ${verb}${rest}`.trim();
    const args = words(rest);
    let script: string | undefined = verb === 'run' || verb === 'run-script' ? undefined : verb === 't' ? 'test' : verb;
    let workspace: string | undefined;
    let allWorkspaces = false;
    let ifPresent = false;
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i]!;
      if (arg === '--') break; // what follows goes to the script
      if (arg === '-w' || arg === '--workspace') workspace = args[(i += 1)];
      else if (arg.startsWith('--workspace=')) workspace = arg.slice('--workspace='.length);
      else if (arg === '-ws' || arg === '--workspaces') allWorkspaces = true;
      else if (arg === '--if-present') ifPresent = true;
      else if (arg.startsWith('-'))
        continue; // -s, --silent, ...
      else if (script === undefined) script = arg;
    }
    // A bare `npm run` lists the scripts: nothing to check.
    if (script === undefined) continue;
    found.push({
      text,
      kind: 'npm',
      names: [script],
      ...(workspace !== undefined ? { workspace } : {}),
      ...(allWorkspaces ? { allWorkspaces } : {}),
      ...(ifPresent ? { ifPresent } : {}),
    });
  }
  for (const match of code.matchAll(MAKE)) {
    const args = words(match[1]!);
    // Another Makefile (-C dir, -f file) is not the one checked here.
    if (args.some((arg) => /^-(C|f|-directory|-file|-makefile)/.test(arg))) continue;
    const targets = args.filter((arg) => !arg.startsWith('-') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg));
    if (targets.length === 0) continue; // `make` alone: the first target
    found.push({ text: `make ${args.join(' ')}`, kind: 'make', names: targets });
  }
  return found;
}

/** `deploy:*` or `deploy:<target>` stands for the scripts it matches; at least one must exist. */
function matches(pattern: string, names: readonly string[]): boolean {
  if (!/[*<]/.test(pattern)) return names.includes(pattern);
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/<[\w-]+>|\*/g, '[^\\s]+')}$`);
  return names.some((name) => regex.test(name));
}

/** Why a command is not one the project has, or undefined when it is. */
function problemWith(command: Command): string | undefined {
  if (command.kind === 'make') {
    const missing = command.names.filter((target) => !matches(target, [...MAKE_TARGETS]));
    return missing.length > 0 ? `no target ${missing.map((t) => `"${t}"`).join(', ')} in the Makefile` : undefined;
  }
  const [script] = command.names as [string];
  if (command.allWorkspaces) {
    const without = [...WORKSPACES].filter(([, pkg]) => !matches(script, Object.keys(pkg.scripts ?? {})));
    if (command.ifPresent ? without.length === WORKSPACES.size : without.length > 0)
      return `no script "${script}" in ${command.ifPresent ? 'any workspace' : without.map(([dir]) => `${dir}/package.json`).join(', ')}`;
    return undefined;
  }
  if (command.workspace !== undefined) {
    const workspace = workspaceNamed(command.workspace);
    if (!workspace) return `no workspace "${command.workspace}" in the root package.json's workspaces`;
    const [dir, pkg] = workspace;
    return matches(script, Object.keys(pkg.scripts ?? {})) ? undefined : `no script "${script}" in ${dir}/package.json`;
  }
  return matches(script, Object.keys(rootPackage.scripts ?? {})) ? undefined : `no script "${script}" in package.json`;
}

// ---------------------------------------------------------------- the tests

describe('the commands the docs name', () => {
  const files = markdownFiles();

  test('the docs, README.md and the troubleshooting guide are among the files read', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/runbook.md', GUIDE]));
  });

  test.each(files)('every npm script and make target %s names exists', (file) => {
    const problems = codeOf(readFileSync(path.join(ROOT, file), 'utf8'))
      .flatMap(commandsIn)
      .flatMap((command) => {
        const problem = problemWith(command);
        return problem ? [`${file}: \`${command.text}\`: ${problem}`] : [];
      });
    // An indented paragraph is read whole and by its code spans: one mistake, one line.
    expect([...new Set(problems)]).toEqual([]);
  });
});

describe('the troubleshooting guide', () => {
  const markdown = existsSync(path.join(ROOT, GUIDE)) ? readFileSync(path.join(ROOT, GUIDE), 'utf8') : '';

  /** Its `## ` sections by heading. */
  const sections = new Map<string, string>();
  for (const part of markdown.split(/^(?=## )/m))
    if (part.startsWith('## ')) sections.set(part.slice(3, part.indexOf('\n') < 0 ? undefined : part.indexOf('\n')).trim(), part);

  /** The rollout guide's four troubleshooting cases. */
  const CASES: [string, RegExp][] = [
    ['a migration that fails midway', /migration fail/i],
    ['API compatibility issues', /api compatibility/i],
    ['performance degradation', /performance degradation/i],
    ['content not displaying', /content not display/i],
  ];
  const OPERATOR_COMMAND = new RegExp(`${COMMAND_START}(npm\\s+(run|test|start)|make|helm|kubectl)\\s+\\S`);

  test.each(CASES)('has a section on %s, with at least one command to run', (_case, heading) => {
    const titles = [...sections.keys()].filter((title) => heading.test(title));
    expect(titles).toHaveLength(1);
    const commands = codeOf(sections.get(titles[0]!)!).filter((code) => OPERATOR_COMMAND.test(code));
    expect(commands.length).toBeGreaterThan(0);
  });

  test('its commands are found at all (each is checked with the other docs above)', () => {
    const scripts = new Set(
      codeOf(markdown)
        .flatMap(commandsIn)
        .flatMap((c) => (c.kind === 'npm' ? c.names : [])),
    );
    expect([...scripts]).toEqual(
      expect.arrayContaining(['migrate:status', 'migrate:structured-courses', 'db:analyze-queries', 'deploy:backend']),
    );
  });
});

describe('the reading of commands', () => {
  test('finds scripts, workspaces and targets where a shell command starts, and only there', () => {
    const found = commandsIn(
      'STRUCTURED_COURSES_ENABLED=false npm run deploy:backend; npm run -s course-read -w bench && make build tools\n' +
        '$ npm test\nnpm run migrate:down -- --to m2 # comment npm run nope\nPROFILE_DIR=/tmp/prof make dev\nmake sure',
    );
    expect(found.map(({ kind, names, workspace }) => ({ kind, names, workspace }))).toEqual([
      { kind: 'npm', names: ['deploy:backend'], workspace: undefined },
      { kind: 'npm', names: ['course-read'], workspace: 'bench' },
      { kind: 'npm', names: ['test'], workspace: undefined },
      { kind: 'npm', names: ['migrate:down'], workspace: undefined },
      { kind: 'make', names: ['build', 'tools'], workspace: undefined },
      { kind: 'make', names: ['dev'], workspace: undefined },
      { kind: 'make', names: ['sure'], workspace: undefined },
    ]);
  });

  test('tells a missing script, workspace script or target from an existing one', () => {
    const problems = [
      'npm run migrate:status',
      'npm run migrate:nope',
      'npm run -s db -w bench',
      'npm run -s migrate:status --workspace=bench',
    ]
      .concat(['npm run x -w nowhere', 'npm run deploy:*', 'npm run nope:*', 'make dev', 'make build nope'])
      .map((code) => problemWith(commandsIn(code)[0]!));
    expect(problems).toEqual([
      undefined,
      'no script "migrate:nope" in package.json',
      undefined,
      'no script "migrate:status" in bench/package.json',
      'no workspace "nowhere" in the root package.json\'s workspaces',
      undefined,
      'no script "nope:*" in package.json',
      undefined,
      'no target "nope" in the Makefile',
    ]);
  });

  test('reads code spans, fenced and indented blocks, not prose', () => {
    const pieces = codeOf('Make sure you run `npm run build` first.\n\n```sh\nmake dev\n```\n\n    npm test\n\nnpm run prose\n');
    expect(pieces).toEqual(['npm run build', 'make dev', '    npm test\n']);
  });
});
