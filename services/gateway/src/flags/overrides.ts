import { FLAG_NAMES, type BooleanFlag, type FlagDefinition, type FlagName, type Targeting } from './definition';

/** Per overridden flag, the percentage of users (0..100) it is on for: `true` is 100, `false` is 0. */
export type FlagOverrides = Partial<Record<FlagName, number>>;

const ON_VALUES = new Set(['true', '1', 'on']);
const OFF_VALUES = new Set(['false', '0', 'off']);
const PERCENTAGE = /^(\d{1,3})%$/;

/**
 * Reads the flag variables of the environment (`true`/`false`, `1`/`0`, `on`/`off` in any case,
 * or `0%`..`100%`). An empty or unset variable leaves the flag file's setting alone; anything
 * else is a startup error naming the variable, since a typo must not silently change a rollout.
 */
export function parseFlagOverrides(env: NodeJS.ProcessEnv): FlagOverrides {
  const overrides: FlagOverrides = {};
  for (const name of FLAG_NAMES) {
    const raw = env[name]?.trim();
    if (raw) overrides[name] = parseFlagOverride(name, raw);
  }
  return overrides;
}

function parseFlagOverride(name: FlagName, raw: string): number {
  const value = raw.toLowerCase();
  if (ON_VALUES.has(value)) return 100;
  if (OFF_VALUES.has(value)) return 0;
  const percent = PERCENTAGE.exec(value)?.[1];
  if (percent !== undefined && Number(percent) <= 100) return Number(percent);
  throw new Error(`Invalid value for ${name}: ${JSON.stringify(raw)}; expected true/false, 1/0, on/off or a percentage from 0% to 100%`);
}

/**
 * flagd's `fractional` puts a user in bucket floor(murmur3(flag key + targeting key) × 100 / 2³²)
 * and, with "on" listed first, buckets below `percent` are on, so a user's answer depends only on
 * the flag name and their id and raising the percentage only ever adds users.
 * Callers without an id (anonymous) cannot be bucketed stably, so a partial rollout leaves them off.
 */
export function rolloutTargeting(percent: number): Targeting {
  return {
    if: [
      { var: 'targetingKey' },
      {
        fractional: [
          ['on', percent],
          ['off', 100 - percent],
        ],
      },
      'off',
    ],
  };
}

/** The definition the provider evaluates: the file's, with each overridden flag replaced by its override. */
export function applyFlagOverrides(definition: FlagDefinition, overrides: FlagOverrides): FlagDefinition {
  const flags = { ...definition.flags };
  for (const name of FLAG_NAMES) {
    const percent = overrides[name];
    if (percent !== undefined) flags[name] = overriddenFlag(definition.flags[name], percent);
  }
  return { ...definition, flags };
}

function overriddenFlag(flag: BooleanFlag, percent: number): BooleanFlag {
  // The override replaces any targeting the file had: the variable is the operator's last word.
  const { targeting: _replaced, ...rest } = flag;
  if (percent === 0 || percent === 100) return { ...rest, defaultVariant: percent === 100 ? 'on' : 'off' };
  // "off" as default so that a failing evaluation during a rollout errs towards the old behaviour.
  return { ...rest, defaultVariant: 'off', targeting: rolloutTargeting(percent) };
}
