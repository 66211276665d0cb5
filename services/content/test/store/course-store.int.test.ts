import { contractDatabase } from '../../../../test/support/contract-database';
import { courseIndexes, MongoCourseStore } from '../../src/store/courses';
import { courseStoreContract } from '../contracts/course-store';

describe('the MongoDB course store, on the local database', () => {
  const db = contractDatabase('content_courses', [courseIndexes]);
  courseStoreContract(() => new MongoCourseStore(db()));
});
