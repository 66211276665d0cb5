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

/** Awaits `promise`, expecting it to reject with a DomainError of `kind` (asserted with jest's `expect`), and returns that error. */
export async function domainRejection(promise: Promise<unknown>, kind: DomainErrorKind): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).kind).toBe(kind);
  return error as DomainError;
}
