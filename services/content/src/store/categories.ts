import { conflict, idAfter, isDuplicateKey, notFound, pageOf, type CollectionIndexes } from '@testmancer/shared';
import { ObjectId, type Collection, type Db } from 'mongodb';
import type { CategoryState } from '../domain';

interface CategoryDocument {
  _id: ObjectId;
  name: string;
  /** categoryKey(name): what names are unique by. */
  key: string;
  version: number;
  createdAt: Date;
}

export interface StoredCategory extends CategoryState {
  version: number;
  createdAt: Date;
}

export const categoryIndexes: CollectionIndexes = {
  collection: 'categories',
  indexes: [{ key: { key: 1 }, name: 'key_unique', unique: true }],
};

const fromDocument = (doc: CategoryDocument): StoredCategory => ({
  id: doc._id.toHexString(),
  name: doc.name,
  key: doc.key,
  version: doc.version,
  createdAt: doc.createdAt,
});

/** Where categories live; `key` is unique. */
export interface CategoryStore {
  /** CONFLICT when a category with the same key exists. */
  insert(category: CategoryState, now: Date): Promise<StoredCategory>;
  /** NOT_FOUND when there is none. */
  get(id: string): Promise<StoredCategory>;
  exists(id: string): Promise<boolean>;
  list(size: number, cursor: string | undefined): Promise<{ items: StoredCategory[]; nextCursor: string }>;
}

export class MongoCategoryStore implements CategoryStore {
  private readonly categories: Collection<CategoryDocument>;

  constructor(db: Db) {
    this.categories = db.collection<CategoryDocument>('categories');
  }

  async insert(category: CategoryState, now: Date): Promise<StoredCategory> {
    const doc: CategoryDocument = { _id: new ObjectId(category.id), name: category.name, key: category.key, version: 1, createdAt: now };
    try {
      await this.categories.insertOne(doc);
    } catch (error) {
      if (isDuplicateKey(error)) throw conflict(`a category named "${category.name}" already exists`);
      throw error;
    }
    return fromDocument(doc);
  }

  async get(id: string): Promise<StoredCategory> {
    const doc = await this.categories.findOne({ _id: new ObjectId(id) });
    if (!doc) throw notFound('category');
    return fromDocument(doc);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.categories.findOne({ _id: new ObjectId(id) }, { projection: { _id: 1 } })) !== null;
  }

  async list(size: number, cursor: string | undefined): Promise<{ items: StoredCategory[]; nextCursor: string }> {
    const after = idAfter(cursor);
    const rows = await this.categories
      .find(after ? { _id: { $gt: new ObjectId(after) } } : {})
      .sort({ _id: 1 })
      .limit(size + 1)
      .toArray();
    const page = pageOf(rows, size, (row) => row._id.toHexString());
    return { items: page.items.map(fromDocument), nextCursor: page.nextCursor };
  }
}
