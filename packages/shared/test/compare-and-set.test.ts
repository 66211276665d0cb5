import { Counter, Registry } from 'prom-client';
import { CompareAndSet, invalid } from '../src';

const fast = { attempts: 5, firstDelayMs: 1, maxDelayMs: 2 };

function counted() {
  const registry = new Registry();
  const retries = new Counter({ name: 'retries_total', help: 'retries', labelNames: ['operation'] as const, registers: [registry] });
  const value = async () => (await retries.get()).values.find((v) => v.labels.operation === 'quiz')?.value ?? 0;
  return { retries, value };
}

describe('CompareAndSet', () => {
  it('returns what the first winning attempt returns, counting each lost round as a retry', async () => {
    const { retries, value } = counted();
    const rounds: number[] = [];
    const written = await new CompareAndSet(retries, fast).untilWritten('quiz', (round) => {
      rounds.push(round);
      return Promise.resolve(round < 3 ? undefined : `version ${String(round)}`);
    });
    expect(written).toBe('version 3');
    expect(rounds).toEqual([1, 2, 3]);
    expect(await value()).toBe(2);
  });

  it('gives up after the policy attempts with unavailable, naming the operation', async () => {
    const { retries, value } = counted();
    let rounds = 0;
    const outcome = new CompareAndSet(retries, fast).untilWritten('quiz', () => {
      rounds++;
      return Promise.resolve(undefined);
    });
    await expect(outcome).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringContaining('the quiz is changing too often'),
    });
    expect(rounds).toBe(5);
    expect(await value()).toBe(4);
  });

  it('lets any other error through at once, untouched and unretried', async () => {
    let rounds = 0;
    const refusal = invalid('bad title');
    const outcome = new CompareAndSet(undefined, fast).untilWritten('quiz', () => {
      rounds++;
      return Promise.reject(refusal);
    });
    await expect(outcome).rejects.toBe(refusal);
    expect(rounds).toBe(1);
  });
});
