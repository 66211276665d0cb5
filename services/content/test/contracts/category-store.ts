/**
 * What every CategoryStore promises: run against the in-memory fake
 * (store/category-store.test.ts) and against the MongoDB adapter on the local
 * database (store/category-store.int.test.ts).
 */
import { DomainError } from '@testmancer/shared';
import { ObjectId } from 'mongodb';
import { createCategory } from '../../src/domain';
import type { CategoryStore } from '../../src/store/categories';

const newId = () => new ObjectId().toHexString();
const NOW = new Date('2026-12-07T10:00:00.000Z');

export function categoryStoreContract(open: () => Promise<CategoryStore> | CategoryStore): void {
  let store: CategoryStore;
  beforeEach(async () => {
    store = await open();
  });

  test('a category is read back as stored, at version 1; an unknown one is not found', async () => {
    const stored = await store.insert(createCategory({ id: newId(), name: 'Origami' }), NOW);
    expect(stored).toMatchObject({ name: 'Origami', version: 1, createdAt: NOW });
    expect(await store.get(stored.id)).toEqual(stored);
    expect(await store.exists(stored.id)).toBe(true);
    expect(await store.exists(newId())).toBe(false);
    await expect(store.get(newId())).rejects.toMatchObject({ kind: 'not_found' });
  });

  test('a second category of the same key is a conflict, and the first stays', async () => {
    const first = await store.insert(createCategory({ id: newId(), name: 'Origami' }), NOW);
    const error = await store.insert(createCategory({ id: newId(), name: '  ORIGAMI ' }), NOW).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'conflict' });
    expect((await store.list(10, undefined)).items).toEqual([first]);
  });

  test('list: in id order, a page at a time, each cursor continuing after the last one served', async () => {
    const stored = [];
    for (const name of ['A', 'B', 'C', 'D', 'E']) stored.push(await store.insert(createCategory({ id: newId(), name }), NOW));
    const first = await store.list(2, undefined);
    expect(first.items).toEqual(stored.slice(0, 2));
    const second = await store.list(2, first.nextCursor);
    expect(second.items).toEqual(stored.slice(2, 4));
    const last = await store.list(2, second.nextCursor);
    expect(last).toEqual({ items: stored.slice(4), nextCursor: '' });
  });
}
