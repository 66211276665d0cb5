import { pageStoreContract } from '../contracts/page-store';
import { MemoryPageStore } from '../fakes/memory-stores';

describe('the in-memory pages the use-case tests run on', () => {
  // The fake keeps each course's page counter itself: any course id has one.
  pageStoreContract(() => ({ store: new MemoryPageStore(), addCourse: () => Promise.resolve() }));
});
