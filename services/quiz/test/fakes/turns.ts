/** Yields to the event loop a random number of turns (0 to 2), so that concurrent callers of a fake interleave as they would against a database. */
export async function someTurns(random: () => number = Math.random): Promise<void> {
  const turns = Math.floor(random() * 3);
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}
