import { DomainError, type DomainErrorKind } from '@testmancer/shared';

/** Runs `fn`, expecting it to throw a DomainError of `kind` (asserted with jest's `expect`), and returns that error. */
export function domainError(fn: () => unknown, kind: DomainErrorKind): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe(kind);
    return error as DomainError;
  }
  throw new Error(`expected a ${kind} DomainError, but nothing was thrown`);
}
