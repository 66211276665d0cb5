import { readFile } from 'node:fs/promises';
import { ErrorCode, OpenFeatureError, type EvaluationContext } from '@openfeature/core';
import { FlagdCore } from '@openfeature/flagd-core';
import { LRUCache } from 'lru-cache';
import { FLAG_NAMES, defaultFlags, parseFlagDefinition, type FlagName, type Flags } from './definition';
import { applyFlagOverrides, parseFlagOverrides } from './overrides';

/** Callers whose flags are remembered: about one per active user. */
const REMEMBERED_CALLERS = 100_000;

export interface FlagEvaluationFailure {
  flag: FlagName;
  /** OpenFeature error code, e.g. GENERAL, PARSE_ERROR, PROVIDER_NOT_READY. */
  code: string;
  message: string | undefined;
}

export interface FlagEvaluatorOptions {
  /** The flagd definition file, normally flags/flags.json at the repository root. */
  definitionPath: string;
  /** Where the STRUCTURED_COURSES_ENABLED, ... overrides are read from. */
  env: NodeJS.ProcessEnv;
  /** Told about each evaluation that failed and was answered with the flag's default variant. */
  onEvaluationError?: (failure: FlagEvaluationFailure) => void;
}

export interface FlagEvaluator {
  /** The flags for one caller (`undefined` or `''` for anonymous); never rejects. */
  evaluate(userId: string | undefined): Promise<Flags>;
  /** The flags of a caller evaluated already, without waiting; undefined for one not evaluated yet. */
  known(userId: string | undefined): Flags | undefined;
}

/**
 * Evaluates the effective definition (the file plus env overrides) with
 * flagd's own evaluator (flagd-core: the rules, fractional buckets and
 * targeting of flagd, in memory); rejects, naming the variable or file, if
 * either is invalid.
 */
export async function createFlagEvaluator(options: FlagEvaluatorOptions): Promise<FlagEvaluator> {
  const overrides = parseFlagOverrides(options.env);
  const definition = parseFlagDefinition(await readFile(options.definitionPath, 'utf8'), options.definitionPath);
  const effective = applyFlagOverrides(definition, overrides);
  const fallback = defaultFlags(effective);
  const flagd = new FlagdCore();
  flagd.setConfigurations(JSON.stringify(effective));

  const evaluateFlag = (name: FlagName, context: EvaluationContext, onError: () => void): boolean => {
    const failed = (code: string, message: string | undefined) => {
      onError();
      options.onEvaluationError?.({ flag: name, code, message });
      return fallback[name];
    };
    try {
      const details = flagd.resolveBooleanEvaluation(name, fallback[name], context);
      return details.errorCode ? failed(details.errorCode, details.errorMessage) : details.value;
    } catch (error) {
      // flagd-core throws some failures (a targeting rule naming no variant) instead of answering them.
      return failed(error instanceof OpenFeatureError ? error.code : ErrorCode.GENERAL, error instanceof Error ? error.message : undefined);
    }
  };

  // The definition is fixed at start-up, so a caller's flags are too: evaluated once, then looked up.
  // A caller with a failed evaluation (answered with defaults) is evaluated again next time.
  const remembered = new LRUCache<string, Flags>({ max: REMEMBERED_CALLERS });
  const evaluateAll = (key: string): Flags => {
    const context: EvaluationContext = key ? { targetingKey: key } : {};
    let failed = false;
    const values = FLAG_NAMES.map((name) =>
      evaluateFlag(name, context, () => {
        failed = true;
      }),
    );
    const flags = Object.freeze(Object.fromEntries(FLAG_NAMES.map((name, i) => [name, values[i]]))) as Flags;
    if (!failed) remembered.set(key, flags);
    return flags;
  };

  return {
    evaluate(userId) {
      const key = userId ?? '';
      return Promise.resolve(remembered.get(key) ?? evaluateAll(key));
    },
    known: (userId) => remembered.get(userId ?? ''),
  };
}
