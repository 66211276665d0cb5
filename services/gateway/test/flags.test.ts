import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  FLAG_NAMES,
  applyFlagOverrides,
  createFlagEvaluator,
  parseFlagDefinition,
  parseFlagOverrides,
  rolloutTargeting,
  type FlagEvaluationFailure,
  type FlagEvaluator,
  type FlagName,
} from '../src/flags';

const DEFINITION_PATH = resolve(__dirname, '../../../flags/flags.json');
const FILE_DEFAULTS = { STRUCTURED_COURSES_ENABLED: true, PAGE_QUIZZES_ENABLED: true, USE_MODULES_TERMINOLOGY: false };
const userIds = (count: number): string[] => Array.from({ length: count }, (_, i) => `user-${i}`);

const evaluator = (env: NodeJS.ProcessEnv = {}, definitionPath = DEFINITION_PATH): Promise<FlagEvaluator> =>
  createFlagEvaluator({ definitionPath, env });

async function usersWithFlagOn(e: FlagEvaluator, flag: FlagName, ids: string[]): Promise<Set<string>> {
  const answers = await Promise.all(ids.map(async (id) => [id, (await e.evaluate(id))[flag]] as const));
  return new Set(answers.filter(([, on]) => on).map(([id]) => id));
}

describe('parseFlagOverrides', () => {
  test('reads nothing from an environment without flag variables', () => {
    expect(parseFlagOverrides({ PATH: '/usr/bin', NODE_ENV: 'production' })).toEqual({});
  });

  test.each([
    ['true', 100],
    ['TRUE', 100],
    ['1', 100],
    ['on', 100],
    ['On', 100],
    ['false', 0],
    ['False', 0],
    ['0', 0],
    ['off', 0],
    ['OFF', 0],
    ['0%', 0],
    ['10%', 10],
    [' 25% ', 25],
    ['100%', 100],
  ])('%j is %d %% of users', (value, percent) => {
    expect(parseFlagOverrides({ PAGE_QUIZZES_ENABLED: value })).toEqual({ PAGE_QUIZZES_ENABLED: percent });
  });

  test('an empty variable leaves the file setting alone', () => {
    expect(parseFlagOverrides({ USE_MODULES_TERMINOLOGY: '', PAGE_QUIZZES_ENABLED: '  ' })).toEqual({});
  });

  test('reads all three flags independently', () => {
    expect(parseFlagOverrides({ STRUCTURED_COURSES_ENABLED: 'false', PAGE_QUIZZES_ENABLED: '10%', USE_MODULES_TERMINOLOGY: 'on' })).toEqual(
      { STRUCTURED_COURSES_ENABLED: 0, PAGE_QUIZZES_ENABLED: 10, USE_MODULES_TERMINOLOGY: 100 },
    );
  });

  const invalidValues = ['yes', 'enabled', '2', '10', '101%', '-5%', '10.5%', '%', '1e1%', '10 %', 'true%'];
  test.each(FLAG_NAMES.flatMap((name) => invalidValues.map((value) => [name, value] as const)))(
    '%s=%j is an error naming the variable',
    (name, value) => {
      expect(() => parseFlagOverrides({ [name]: value })).toThrow(name);
    },
  );

  test('an invalid value stops the evaluator from starting', async () => {
    await expect(createFlagEvaluator({ definitionPath: DEFINITION_PATH, env: { USE_MODULES_TERMINOLOGY: 'maybe' } })).rejects.toThrow(
      'USE_MODULES_TERMINOLOGY',
    );
  });
});

describe('flag definition', () => {
  test('flags/flags.json defines the three flags with their defaults', async () => {
    const definition = parseFlagDefinition(await readFile(DEFINITION_PATH, 'utf8'), DEFINITION_PATH);
    expect(Object.keys(definition.flags).sort()).toEqual([...FLAG_NAMES].sort());
    for (const name of FLAG_NAMES) {
      expect(definition.flags[name]).toMatchObject({
        variants: { on: true, off: false },
        defaultVariant: FILE_DEFAULTS[name] ? 'on' : 'off',
      });
    }
  });

  test.each([
    ['not JSON', '{', /not valid JSON/],
    ['no flags object', '{}', /"flags" object/],
    ['a missing flag', JSON.stringify({ flags: {} }), /STRUCTURED_COURSES_ENABLED/],
  ])('rejects %s, naming the file', (_, text, message) => {
    expect(() => parseFlagDefinition(text, '/etc/flags.json')).toThrow('/etc/flags.json');
    expect(() => parseFlagDefinition(text, '/etc/flags.json')).toThrow(message);
  });

  test.each([
    ['non-boolean variants', { variants: { on: 'yes', off: 'no' } }],
    ['an extra variant', { variants: { on: true, off: false, maybe: true } }],
    ['an unknown default variant', { defaultVariant: 'maybe' }],
    ['a DISABLED state', { state: 'DISABLED' }],
  ])('rejects a flag with %s, naming it', async (_, change) => {
    const definition = JSON.parse(await readFile(DEFINITION_PATH, 'utf8'));
    definition.flags.PAGE_QUIZZES_ENABLED = { ...definition.flags.PAGE_QUIZZES_ENABLED, ...change };
    expect(() => parseFlagDefinition(JSON.stringify(definition), 'flags.json')).toThrow('PAGE_QUIZZES_ENABLED');
  });

  test('overrides replace only the flags they name, without touching the input', async () => {
    const definition = parseFlagDefinition(await readFile(DEFINITION_PATH, 'utf8'), DEFINITION_PATH);
    const before = structuredClone(definition);
    const effective = applyFlagOverrides(definition, { STRUCTURED_COURSES_ENABLED: 0, USE_MODULES_TERMINOLOGY: 10 });

    expect(definition).toEqual(before);
    expect(effective.$schema).toBe(definition.$schema);
    expect(effective.flags.STRUCTURED_COURSES_ENABLED).toEqual({ ...definition.flags.STRUCTURED_COURSES_ENABLED, defaultVariant: 'off' });
    expect(effective.flags.PAGE_QUIZZES_ENABLED).toEqual(definition.flags.PAGE_QUIZZES_ENABLED);
    expect(effective.flags.USE_MODULES_TERMINOLOGY).toEqual({
      ...definition.flags.USE_MODULES_TERMINOLOGY,
      defaultVariant: 'off',
      targeting: rolloutTargeting(10),
    });
  });

  test('the rollout lists "on" first, so its bucket range grows from 0', () => {
    expect(rolloutTargeting(25)).toEqual({
      if: [
        { var: 'targetingKey' },
        {
          fractional: [
            ['on', 25],
            ['off', 75],
          ],
        },
        'off',
      ],
    });
  });
});

describe('createFlagEvaluator', () => {
  test('with no overrides, everyone gets the file defaults', async () => {
    const e = await evaluator();
    expect(await e.evaluate('user-1')).toEqual(FILE_DEFAULTS);
    expect(await e.evaluate(undefined)).toEqual(FILE_DEFAULTS);
  });

  test("a caller's flags are known without waiting once evaluated, the same answer each time", async () => {
    const e = await evaluator({ USE_MODULES_TERMINOLOGY: '50%' });
    expect(e.known('user-1')).toBeUndefined();
    const evaluated = await e.evaluate('user-1');
    expect(e.known('user-1')).toBe(evaluated);
    expect(await e.evaluate('user-1')).toBe(evaluated);
    expect(e.known(undefined)).toBeUndefined();
    const anonymous = await e.evaluate(undefined);
    expect(e.known(undefined)).toBe(anonymous);
  });

  test('true and false override the file for everyone, anonymous callers included', async () => {
    const e = await evaluator({ STRUCTURED_COURSES_ENABLED: 'false', PAGE_QUIZZES_ENABLED: 'OFF', USE_MODULES_TERMINOLOGY: '1' });
    const everyone = { STRUCTURED_COURSES_ENABLED: false, PAGE_QUIZZES_ENABLED: false, USE_MODULES_TERMINOLOGY: true };
    for (const id of ['user-1', 'user-2', undefined]) expect(await e.evaluate(id)).toEqual(everyone);
  });

  test('evaluators with different settings in one process do not share their definition', async () => {
    const on = await evaluator({ USE_MODULES_TERMINOLOGY: 'true' });
    const off = await evaluator({ USE_MODULES_TERMINOLOGY: 'false' });
    expect((await on.evaluate('user-1')).USE_MODULES_TERMINOLOGY).toBe(true);
    expect((await off.evaluate('user-1')).USE_MODULES_TERMINOLOGY).toBe(false);
  });

  test('a failing evaluation answers the default variant and is reported, not thrown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flags-test-'));
    try {
      const definition = JSON.parse(await readFile(DEFINITION_PATH, 'utf8'));
      definition.flags.STRUCTURED_COURSES_ENABLED.targeting = { if: [true, 'no-such-variant'] };
      const path = join(dir, 'flags.json');
      await writeFile(path, JSON.stringify(definition));
      const failures: FlagEvaluationFailure[] = [];
      const e = await createFlagEvaluator({ definitionPath: path, env: {}, onEvaluationError: (f) => failures.push(f) });

      expect(await e.evaluate('user-1')).toEqual(FILE_DEFAULTS);
      expect(failures).toEqual([expect.objectContaining({ flag: 'STRUCTURED_COURSES_ENABLED', code: 'GENERAL' })]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('percentage rollout', () => {
  test('at 10%, roughly 10% of 2,000 users have the flag', async () => {
    const on = await usersWithFlagOn(await evaluator({ PAGE_QUIZZES_ENABLED: '10%' }), 'PAGE_QUIZZES_ENABLED', userIds(2000));
    expect(on.size).toBeGreaterThanOrEqual(100);
    expect(on.size).toBeLessThanOrEqual(300);
  });

  test("a user's answer is the same on every call and in every new evaluator", async () => {
    const ids = userIds(300);
    const env = { STRUCTURED_COURSES_ENABLED: '50%' };
    const first = await evaluator(env);
    const once = await usersWithFlagOn(first, 'STRUCTURED_COURSES_ENABLED', ids);
    const again = await usersWithFlagOn(first, 'STRUCTURED_COURSES_ENABLED', ids);
    const elsewhere = await usersWithFlagOn(await evaluator(env), 'STRUCTURED_COURSES_ENABLED', ids);

    expect(once.size).toBeGreaterThan(0);
    expect(once.size).toBeLessThan(ids.length);
    expect(again).toEqual(once);
    expect(elsewhere).toEqual(once);
  });

  test("a user's bucket depends on the flag name, not only on the user", async () => {
    const ids = userIds(300);
    const e = await evaluator({ STRUCTURED_COURSES_ENABLED: '50%', PAGE_QUIZZES_ENABLED: '50%' });
    const structured = await usersWithFlagOn(e, 'STRUCTURED_COURSES_ENABLED', ids);
    const quizzes = await usersWithFlagOn(e, 'PAGE_QUIZZES_ENABLED', ids);
    expect(quizzes).not.toEqual(structured);
  });

  test('raising the percentage never turns the flag off for anyone; 0% is nobody and 100% everybody', async () => {
    const ids = userIds(1000);
    const sets: Set<string>[] = [];
    for (const percent of [0, 10, 25, 50, 75, 100]) {
      const e = await evaluator({ USE_MODULES_TERMINOLOGY: `${percent}%` });
      sets.push(await usersWithFlagOn(e, 'USE_MODULES_TERMINOLOGY', ids));
    }

    expect(sets[0]?.size).toBe(0);
    expect(sets[sets.length - 1]?.size).toBe(ids.length);
    for (let i = 1; i < sets.length; i++) {
      const [previous, current] = [sets[i - 1] ?? new Set<string>(), sets[i] ?? new Set<string>()];
      expect([...previous].filter((id) => !current.has(id))).toEqual([]);
      expect(current.size).toBeGreaterThan(previous.size);
    }
  });

  test.each(['1%', '10%', '50%', '99%'])('anonymous callers are off at %s', async (percent) => {
    const e = await evaluator({ STRUCTURED_COURSES_ENABLED: percent });
    expect((await e.evaluate(undefined)).STRUCTURED_COURSES_ENABLED).toBe(false);
    expect((await e.evaluate('')).STRUCTURED_COURSES_ENABLED).toBe(false);
  });

  test.each([
    ['100%', true],
    ['true', true],
    ['0%', false],
  ])('anonymous callers follow everyone at %s', async (value, expected) => {
    const e = await evaluator({ STRUCTURED_COURSES_ENABLED: value });
    expect((await e.evaluate(undefined)).STRUCTURED_COURSES_ENABLED).toBe(expected);
  });
});
