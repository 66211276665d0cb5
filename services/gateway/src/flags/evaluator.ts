import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { LRUCache } from 'lru-cache';
import { NOOP_PROVIDER, OpenFeature, type EvaluationContext } from '@openfeature/server-sdk';
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
  close(): Promise<void>;
}

/**
 * Resolves once the flagd provider has loaded the effective definition (the file plus env
 * overrides); rejects, naming the variable or file, if either is invalid.
 */
export async function createFlagEvaluator(options: FlagEvaluatorOptions): Promise<FlagEvaluator> {
  const overrides = parseFlagOverrides(options.env);
  const definition = parseFlagDefinition(await readFile(options.definitionPath, 'utf8'), options.definitionPath);
  const effective = applyFlagOverrides(definition, overrides);
  const fallback = defaultFlags(effective);

  // The offline provider only reads files, so the overrides reach it as a generated definition.
  // One file per evaluator: the provider's close calls fs.unwatchFile(path), which would also
  // stop every other provider watching the same path.
  const dir = await mkdtemp(join(tmpdir(), 'gateway-flags-'));
  const runtimePath = join(dir, 'flags.json');
  // OpenFeature is a process-wide singleton; a domain of our own keeps evaluators apart.
  const domain = `gateway-flags-${randomUUID()}`;
  const provider = new FlagdProvider({ resolverType: 'in-process', offlineFlagSourcePath: runtimePath });

  const release = async (): Promise<void> => {
    // Rebinding makes the SDK close the provider without awaiting it (there is no per-domain
    // close); closing it again is harmless and stops the file watcher before the file goes.
    OpenFeature.setProvider(domain, NOOP_PROVIDER);
    await provider.onClose();
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await writeFile(runtimePath, JSON.stringify(effective, null, 2));
    await OpenFeature.setProviderAndWait(domain, provider);
  } catch (err) {
    await release();
    throw err;
  }

  const client = OpenFeature.getClient(domain);
  let closed = false;

  const evaluateFlag = async (name: FlagName, context: EvaluationContext, onError: () => void): Promise<boolean> => {
    // The SDK never throws here: on error it answers the default we pass, our fallback.
    const details = await client.getBooleanDetails(name, fallback[name], context);
    if (details.errorCode) {
      onError();
      options.onEvaluationError?.({ flag: name, code: details.errorCode, message: details.errorMessage });
    }
    return details.value;
  };

  // The definition is fixed at start-up, so a caller's flags are too: evaluated once, then looked up.
  // A caller with a failed evaluation (answered with defaults) is evaluated again next time.
  const remembered = new LRUCache<string, Flags>({ max: REMEMBERED_CALLERS });
  const evaluateAll = async (key: string): Promise<Flags> => {
    const context: EvaluationContext = key ? { targetingKey: key } : {};
    let failed = false;
    const values = await Promise.all(
      FLAG_NAMES.map((name) =>
        evaluateFlag(name, context, () => {
          failed = true;
        }),
      ),
    );
    const flags = Object.freeze(Object.fromEntries(FLAG_NAMES.map((name, i) => [name, values[i]]))) as Flags;
    if (!failed) remembered.set(key, flags);
    return flags;
  };

  return {
    async evaluate(userId) {
      const key = userId ?? '';
      return remembered.get(key) ?? evaluateAll(key);
    },
    known: (userId) => remembered.get(userId ?? ''),
    async close() {
      if (closed) return;
      closed = true;
      await release();
    },
  };
}
