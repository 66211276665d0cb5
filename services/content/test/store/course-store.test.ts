import { courseStoreContract } from '../contracts/course-store';
import { MemoryCourseStore } from '../fakes/memory-stores';

describe('the in-memory courses the use-case tests run on', () => {
  courseStoreContract(() => new MemoryCourseStore());
});
