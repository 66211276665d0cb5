export const FLAG_NAMES = ['STRUCTURED_COURSES_ENABLED', 'PAGE_QUIZZES_ENABLED', 'USE_MODULES_TERMINOLOGY'] as const;
export type FlagName = (typeof FLAG_NAMES)[number];
export type Flags = Record<FlagName, boolean>;

/** A JSONLogic rule as flagd reads it. */
export type Targeting = { [operator: string]: unknown };

/** One flag in flagd's definition format (https://flagd.dev/reference/flag-definitions/). */
export interface FlagdFlag {
  state: 'ENABLED' | 'DISABLED';
  variants: Record<string, unknown>;
  defaultVariant: string;
  targeting?: Targeting;
  [other: string]: unknown;
}

/** Ours are on/off switches, which is what env overrides and the error fallback rely on. */
export interface BooleanFlag extends FlagdFlag {
  state: 'ENABLED';
  variants: { on: true; off: false };
  defaultVariant: 'on' | 'off';
}

/** A flagd definition holding (at least) our flags; `$schema`, `metadata` and other flags pass through. */
export interface FlagDefinition {
  flags: Record<FlagName, BooleanFlag> & Record<string, FlagdFlag>;
  [other: string]: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBooleanFlag(flag: unknown): flag is BooleanFlag {
  if (!isObject(flag) || !isObject(flag.variants)) return false;
  const { on, off, ...otherVariants } = flag.variants;
  return (
    flag.state === 'ENABLED' &&
    on === true &&
    off === false &&
    Object.keys(otherVariants).length === 0 &&
    (flag.defaultVariant === 'on' || flag.defaultVariant === 'off')
  );
}

/**
 * Reads a flagd definition and checks our flags' shape up front: flagd itself only logs
 * schema problems (at debug level) and a DISABLED flag would silently serve code defaults.
 */
export function parseFlagDefinition(text: string, source: string): FlagDefinition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (!isObject(parsed) || !isObject(parsed.flags)) {
    throw new Error(`${source}: expected a flagd definition with a "flags" object`);
  }
  for (const name of FLAG_NAMES) {
    if (!isBooleanFlag(parsed.flags[name])) {
      throw new Error(
        `${source}: flag ${name} must have "state": "ENABLED", "variants": {"on": true, "off": false} ` +
          `and "defaultVariant" "on" or "off" (turn a flag off with "defaultVariant": "off")`,
      );
    }
  }
  return parsed as FlagDefinition;
}

/** What each flag is for a caller when no rule applies or its evaluation fails. */
export function defaultFlags(definition: FlagDefinition): Flags {
  const flags = {} as Flags;
  for (const name of FLAG_NAMES) flags[name] = definition.flags[name].defaultVariant === 'on';
  return flags;
}
