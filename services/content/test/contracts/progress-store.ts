/**
 * What every ProgressStore promises: run against the in-memory fake
 * (store/progress-store.test.ts) and against the MongoDB adapter on the local
 * database (store/progress-store.int.test.ts).
 */
import { ObjectId } from 'mongodb';
import type { ProgressStore } from '../../src/store/progress';

const newId = () => new ObjectId().toHexString();

export function progressStoreContract(open: () => Promise<ProgressStore> | ProgressStore): void {
  let store: ProgressStore;
  beforeEach(async () => {
    store = await open();
  });

  test('the pages a user viewed in a course, each once, and none before the first view', async () => {
    const [userId, courseId, pageA, pageB] = [newId(), newId(), newId(), newId()];
    expect(await store.viewedPages(userId, courseId)).toEqual(new Set());
    await store.markViewed(userId, courseId, pageA);
    await store.markViewed(userId, courseId, pageA);
    await store.markViewed(userId, courseId, pageB);
    expect(await store.viewedPages(userId, courseId)).toEqual(new Set([pageA, pageB]));
  });

  test('views are kept per user and per course', async () => {
    const [userId, courseId, page] = [newId(), newId(), newId()];
    await store.markViewed(userId, courseId, page);
    expect(await store.viewedPages(newId(), courseId)).toEqual(new Set());
    expect(await store.viewedPages(userId, newId())).toEqual(new Set());
  });

  test('first views racing on one course are all kept', async () => {
    const [userId, courseId] = [newId(), newId()];
    const pages = Array.from({ length: 8 }, newId);
    await Promise.all(pages.map((page) => store.markViewed(userId, courseId, page)));
    expect(await store.viewedPages(userId, courseId)).toEqual(new Set(pages));
  });
}
