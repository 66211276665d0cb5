/**
 * The budget of the call being served: its deadline and its cancellation,
 * kept for everything the handler does (AsyncLocalStorage), so that they
 * reach what the handler calls without being passed down by hand: the calls
 * it makes to other services (`client.ts` takes the deadline and the signal
 * from here) and its database reads (`scopedDatabase`: `maxTimeMS`, and no
 * read started once the caller gave up).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from 'mongodb';

export interface CallScope {
  /** Absolute, in epoch ms; undefined when the caller set none. */
  readonly deadline: number | undefined;
  readonly signal: AbortSignal;
}

const storage = new AsyncLocalStorage<CallScope>();

export const currentScope = (): CallScope | undefined => storage.getStore();

export const inScope = <T>(scope: CallScope, work: () => T): T => storage.run(scope, work);

/** The metadata key carrying the caller's remaining time, in ms (relative: clocks of two pods need not agree). */
export const TIMEOUT_METADATA = 'testmancer-timeout-ms';

/** Thrown where work stops because its caller gave up (a deadline passed, a client left). */
export class CallCancelled extends Error {
  constructor() {
    super('the call was cancelled: its caller gave up or its deadline passed');
    this.name = 'AbortError';
  }
}

/** The reads, with the position of their options argument. */
const READS = new Map<string, number>([
  ['find', 1],
  ['findOne', 1],
  ['countDocuments', 1],
  ['aggregate', 1],
  ['distinct', 2],
  ['estimatedDocumentCount', 0],
]);

/**
 * The database as handlers use it: a read in a call's scope carries the
 * call's remaining time as `maxTimeMS` (the server stops the work when the
 * caller has given up), and a read is not started once the call is cancelled.
 */
export function scopedDatabase(db: Db): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'collection') return Reflect.get(target, property, receiver) as unknown;
      return (...args: Parameters<Db['collection']>) => {
        const collection = target.collection(...args);
        return new Proxy(collection, {
          get(inner, name, innerReceiver) {
            const value: unknown = Reflect.get(inner, name, innerReceiver);
            const optionsAt = typeof name === 'string' ? READS.get(name) : undefined;
            if (optionsAt === undefined || typeof value !== 'function') return value;
            return (...params: unknown[]): unknown => {
              const scope = storage.getStore();
              if (!scope) return (value as (...a: unknown[]) => unknown).apply(inner, params);
              if (scope.signal.aborted) throw new CallCancelled();
              if (scope.deadline !== undefined) {
                const remaining = Math.max(1, scope.deadline - Date.now());
                params[optionsAt] = { ...(params[optionsAt] as object | undefined), maxTimeMS: remaining };
              }
              return (value as (...a: unknown[]) => unknown).apply(inner, params);
            };
          },
        });
      };
    },
  });
}
