/** Yields to the event loop a random number of turns (0 to 2), so that concurrent callers of a fake interleave as they would against a database. */
export async function someTurns(random: () => number = Math.random): Promise<void> {
  const turns = Math.floor(random() * 3);
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * What every fake store does before each call: yield to the event loop a
 * random number of turns, so that concurrent callers interleave as they
 * would against a database, and count the call. `crashBefore` makes the
 * n-th call of an operation throw instead of running, as if the database
 * failed there.
 */
export class Steps<Operation extends string> {
  private readonly crashes = new Map<Operation, number>();
  private readonly calls = new Map<Operation, number>();

  constructor(private readonly random: () => number = Math.random) {}

  /** The `nth` (1-based, counted from now) call of `operation` throws. */
  crashBefore(operation: Operation, nth = 1): void {
    this.crashes.set(operation, (this.calls.get(operation) ?? 0) + nth);
  }

  callsOf(operation: Operation): number {
    return this.calls.get(operation) ?? 0;
  }

  async step(operation: Operation): Promise<void> {
    await someTurns(this.random);
    const count = (this.calls.get(operation) ?? 0) + 1;
    this.calls.set(operation, count);
    if (this.crashes.get(operation) === count) throw new Error(`simulated failure of ${operation}`);
  }
}
