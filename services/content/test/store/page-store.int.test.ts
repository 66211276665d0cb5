import { ObjectId } from 'mongodb';
import { contractDatabase } from '../../../../test/support/contract-database';
import { createCourse } from '../../src/domain';
import { courseIndexes, MongoCourseStore } from '../../src/store/courses';
import { MongoPageStore, pageIndexes } from '../../src/store/pages';
import { pageStoreContract } from '../contracts/page-store';

describe('the MongoDB page store, on the local database', () => {
  const db = contractDatabase('content_pages', [pageIndexes, courseIndexes]);
  pageStoreContract(() => ({
    store: new MongoPageStore(db()),
    // The page counter lives on the course document.
    addCourse: (courseId) =>
      new MongoCourseStore(db()).insert(
        createCourse({
          id: courseId,
          title: 'Origami',
          categoryId: new ObjectId().toHexString(),
          unitType: 'unit',
          createdBy: new ObjectId().toHexString(),
          now: new Date(),
        }),
      ),
  }));
});
