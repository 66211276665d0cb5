/**
 * Runs tasks with the same key one after another, in arrival order, in this
 * process; different keys run freely. Writers to one document then take
 * turns instead of racing (a lost compare-and-set costs a database round),
 * leaving compare-and-set to settle races between processes only.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
