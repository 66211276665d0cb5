#!/usr/bin/env node
/**
 * Every operator command: `node migrations/dist/cli.js <command> [flags]`,
 * behind the root package.json's npm scripts. Reads MONGODB_URI and
 * MONGODB_DB (default testmancer). Exit codes: 0 done, 1 a check or the work
 * failed, 2 bad arguments (a message, never a stack trace), 3 another runner
 * holds the lock (or took it over from this one, which stopped before its
 * next write).
 */
import { parseArgs } from 'node:util';
import { analyzeQueries } from './analyze';
import { validateCourseStructures, validateQuizTriggers, verifyStructuredCourses } from './checks';
import { connect, ENVIRONMENTS, Report, STATE, UsageError, type Options } from './context';
import { LockHeld, LockLost, type LockDocument } from './lock';
import { CHAIN, migrationNamed } from './migrations';
import { recordedRun, migrateDown, migrateUp, checksumOf, type AppliedDocument, type RunRecord } from './runner';
import { seedLegacy } from './seed';

const COMMANDS: Record<string, string> = {
  up: 'apply every pending migration of the chain in order (m0..m3, structured-courses)',
  run: 'run <name>: apply the chain up to and including <name>, catching up what production changed since (with --dry-run: only report what <name> would do)',
  down: 'revert applied migrations newest first, down to --to <name> (default: all)',
  status: 'applied migrations, recent runs, the lock',
  verify: 'verify the structured-courses migration against the legacy fields and the backup',
  rollback: 'undo structured-courses (also a partial run): the legacy documents back, with what happened in the new system folded in',
  'validate-course-structures': 'unitType values, unitCount, unit ordering',
  'validate-quiz-triggers': 'unit quizzes have moduleId, page quizzes pageOrder, no unmarked orphans',
  'analyze-queries': "the services' main queries with explain",
  'seed-legacy': 'write a deterministic legacy database: --courses N --seed S [--reset]',
};

const FLAGS = {
  environment: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  backup: { type: 'boolean' },
  'no-backup': { type: 'boolean' },
  resume: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  'batch-size': { type: 'string' },
  throttle: { type: 'string' },
  'lock-wait': { type: 'string' },
  to: { type: 'string' },
  courses: { type: 'string' },
  seed: { type: 'string' },
  reset: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

function usage(): string {
  return [
    'usage: node migrations/dist/cli.js <command> [flags]',
    ...Object.entries(COMMANDS).map(([name, what]) => `  ${name.padEnd(28)} ${what}`),
    'flags: --environment <development|test|staging|production> --json --verbose --dry-run --backup --no-backup --resume',
    '       --batch-size N --throttle MS --lock-wait MS --no-progress --to <migration> --courses N --seed S --reset',
  ].join('\n');
}

const positiveInt = (value: string | undefined, name: string, fallback: number, min = 1): number => {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return Number(value);
};

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage()}`);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (!command || !(command in COMMANDS))
    throw new UsageError(`${command ? `unknown command ${JSON.stringify(command)}` : 'no command'}\n${usage()}`);
  if (values.backup && values['no-backup']) throw new UsageError('--backup and --no-backup contradict each other');
  const envName = values.environment ?? process.env.MIGRATION_ENVIRONMENT ?? 'development';
  const environment = ENVIRONMENTS[envName];
  if (!environment)
    throw new UsageError(`unknown --environment ${JSON.stringify(envName)}; known: ${Object.keys(ENVIRONMENTS).join(', ')}`);
  const batchSize = positiveInt(values['batch-size'], 'batch-size', environment.batchSize);
  if (batchSize > 60)
    throw new UsageError('--batch-size must be at most 60 (the local database refuses update batches above 63 statements)');
  const options: Options = {
    environment,
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    dryRun: values['dry-run'] ?? false,
    backup: values.backup ? true : values['no-backup'] ? false : undefined,
    resume: values.resume ?? false,
    progress: !values['no-progress'],
    batchSize,
    throttleMs: positiveInt(values.throttle, 'throttle', environment.throttleMs, 0),
    lockWaitMs: positiveInt(values['lock-wait'], 'lock-wait', environment.lockWaitMs, 0),
  };
  let target: string | undefined;
  if (command === 'run') {
    target = rest[0];
    if (!target || !migrationNamed(target)) throw new UsageError(`run needs a migration name: ${CHAIN.map((m) => m.name).join(', ')}`);
  } else if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}\n${usage()}`);
  if (values.to !== undefined && !migrationNamed(values.to)) throw new UsageError(`--to: no migration named ${JSON.stringify(values.to)}`);
  if (options.dryRun && !['run', 'up', 'rollback', 'down'].includes(command))
    throw new UsageError(`--dry-run does not apply to ${command}: it writes nothing anyway`);
  const label = command === 'run' ? `migrate:${target}` : command === 'up' ? 'migrate:up' : command;
  const report = new Report(label, options.json, options.verbose);
  const seedArgs =
    command === 'seed-legacy'
      ? { courses: positiveInt(values.courses, 'courses', 1000), seed: positiveInt(values.seed, 'seed', 1, 0) }
      : undefined;

  const connection = await connect();
  const { db } = connection;
  try {
    report.say(
      `${label} on database ${db.databaseName}${options.dryRun ? ' (dry run: nothing is written)' : ''}, environment ${environment.name}`,
    );
    switch (command) {
      case 'up':
        await migrateUp(db, 'migrate:up', options, report);
        break;
      case 'run':
        await migrateUp(db, label, options, report, target);
        break;
      case 'down':
        await migrateDown(db, 'migrate:down', options, report, values.to);
        break;
      case 'rollback': {
        const migration = migrationNamed('structured-courses')!;
        await recordedRun(
          db,
          'migrate:rollback-structured-courses',
          [migration.name],
          { ...options, resume: true },
          report,
          async (ctx) => {
            await migration.down({ ...ctx, migration: migration.name });
            if (!options.dryRun && report.problems.length === 0) {
              await ctx.db.collection<AppliedDocument>(STATE.applied).deleteOne({ _id: migration.name });
              await ctx.db
                .collection<RunRecord>(STATE.runs)
                .updateMany(
                  { outcome: 'running', migrations: migration.name, _id: { $ne: ctx.runId } },
                  { $set: { outcome: 'interrupted' } },
                );
            }
          },
        );
        break;
      }
      case 'verify':
        await verifyStructuredCourses(db, options, report);
        break;
      case 'validate-course-structures':
        await validateCourseStructures(db, options, report);
        break;
      case 'validate-quiz-triggers':
        await validateQuizTriggers(db, options, report);
        break;
      case 'analyze-queries':
        await analyzeQueries(db, report);
        break;
      case 'status':
        await status(db, report);
        break;
      case 'seed-legacy': {
        const existing = await db.collection('courses').countDocuments({}, { limit: 1 });
        if (existing > 0 && !values.reset) throw new UsageError(`database ${db.databaseName} already has courses; --reset drops it first`);
        if (values.reset) await db.dropDatabase();
        const counts = await seedLegacy(db, seedArgs!, options.progress && !options.json);
        for (const [name, n] of Object.entries(counts)) if (name !== 'modules') report.counts(name).inserted = n;
        report.notes.push(`${counts.modules} modules`);
        report.extra.seed = { ...seedArgs, ...counts };
        break;
      }
    }
  } finally {
    await connection.close();
  }
  return report.finish();
}

async function status(db: import('mongodb').Db, report: Report): Promise<void> {
  const applied = new Map((await db.collection<AppliedDocument>(STATE.applied).find({}).toArray()).map((d) => [d._id, d]));
  const migrations = CHAIN.map((m) => {
    const doc = applied.get(m.name);
    const checksum = checksumOf(m);
    return {
      name: m.name,
      description: m.description,
      applied: Boolean(doc),
      appliedAt: doc?.appliedAt,
      runId: doc?.runId,
      checksumChanged: doc ? doc.checksum !== checksum : false,
    };
  });
  for (const m of migrations)
    report.say(
      `  ${m.applied ? 'applied' : 'pending'} ${m.name.padEnd(20)} ${m.applied ? `${m.appliedAt?.toISOString()} run ${m.runId}` : ''}${m.checksumChanged ? ' (file changed since)' : ''}`,
    );
  const runs = await db.collection<RunRecord>(STATE.runs).find({}).toArray();
  runs.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  const recent = runs.slice(0, 20);
  report.say('  runs (newest first):');
  for (const r of recent) {
    report.say(
      `    ${r._id} ${r.command} ${r.outcome} by ${r.who} at ${r.startedAt.toISOString()}${r.checkpoint ? `, checkpoint ${r.checkpoint.collection} ${r.checkpoint.read}` : ''}`,
    );
  }
  const lock = await db.collection<LockDocument>(STATE.lock).findOne({});
  report.say(
    lock
      ? `  lock held by run ${lock.runId} (${lock.command}), pid ${lock.pid} on ${lock.host}, expires ${lock.expiresAt.toISOString()}`
      : '  no lock held',
  );
  report.extra.migrations = migrations;
  report.extra.runs = recent;
  report.extra.lock = lock;
  if (migrations.some((m) => m.checksumChanged)) report.notes.push('a migration file changed since it was applied');
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      if (error instanceof UsageError) {
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = 2;
      } else if (error instanceof LockHeld) {
        process.stderr.write(`refused: ${error.message}\n`);
        process.exitCode = 3;
      } else if (error instanceof LockLost) {
        process.stderr.write(`stopped: ${error.message}\n`);
        process.exitCode = 3;
      } else {
        process.stderr.write(`failed: ${(error as Error)?.message ?? String(error)}\n`);
        if (process.env.MIGRATION_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
        process.exitCode = 1;
      }
    },
  );
}
