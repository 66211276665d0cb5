import { BSON } from 'mongodb';
import { BSONRegExp, Binary, Code, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'mongodb';
import {
  commandDocuments,
  commandNamespace,
  confinedDocument,
  MessageFramer,
  OP_COMPRESSED,
  parseMessage,
  replyMessage,
  updateStatementCount,
  WireProtocolError,
} from '../src/wire';
import { opMsg } from './helpers';

const insert = opMsg({ insert: 'users', documents: [{ _id: 1 }], $db: 'app' }, { requestId: 1 });
const find = opMsg({ find: 'users', filter: {}, $db: 'app' }, { requestId: 2 });
const unacknowledged = opMsg({ delete: 'users', deletes: [], writeConcern: { w: 0 }, $db: 'app' }, { requestId: 3 }, true);

describe('parseMessage', () => {
  test('reads the header, the command name and moreToCome', () => {
    expect(parseMessage(insert)).toEqual({
      messageLength: insert.length,
      requestId: 1,
      responseTo: 0,
      opCode: 2013,
      commandName: 'insert',
      moreToCome: false,
    });
    expect(parseMessage(find).commandName).toBe('find');
    expect(parseMessage(unacknowledged)).toMatchObject({ commandName: 'delete', moreToCome: true });
  });

  test('finds the body after a document sequence, and ignores a checksum', () => {
    // Drivers send bulk documents as a kind 1 section; the body may come after it.
    const sequenceDocs = Buffer.concat([BSON.serialize({ _id: 1 }), BSON.serialize({ _id: 2 })]);
    const identifier = Buffer.from('documents\0');
    const sequenceSize = Buffer.alloc(4);
    sequenceSize.writeInt32LE(4 + identifier.length + sequenceDocs.length);
    const body = BSON.serialize({ insert: 'users', $db: 'app' });
    const flags = Buffer.alloc(4);
    flags.writeUInt32LE(1); // checksumPresent
    const parts = [flags, Buffer.from([1]), sequenceSize, identifier, sequenceDocs, Buffer.from([0]), body, Buffer.alloc(4)];
    const message = withHeader(2013, Buffer.concat(parts));

    expect(parseMessage(message)).toMatchObject({ commandName: 'insert', moreToCome: false });
  });

  test('names no command for OP_COMPRESSED or an empty body', () => {
    expect(parseMessage(withHeader(OP_COMPRESSED, Buffer.alloc(9))).commandName).toBeUndefined();
    expect(parseMessage(opMsg({}, { requestId: 4 })).commandName).toBeUndefined();
  });

  test('rejects a body that does not fit the message', () => {
    const broken = Buffer.from(insert.subarray(0, 30));
    broken.writeInt32LE(broken.length, 0);
    expect(() => parseMessage(broken)).toThrow(WireProtocolError);
  });
});

describe('MessageFramer', () => {
  test('joins a message split into single bytes', () => {
    const framer = new MessageFramer();
    const out: Buffer[] = [];
    for (let i = 0; i < insert.length; i += 1) out.push(...framer.push(insert.subarray(i, i + 1)));
    expect(out).toEqual([insert]);
    expect(framer.pendingBytes).toBe(0);
  });

  test('splits several messages in one chunk, keeping a partial one for later', () => {
    const framer = new MessageFramer();
    const stream = Buffer.concat([insert, find, unacknowledged]);
    const cut = insert.length + find.length + 10;

    expect(framer.push(stream.subarray(0, cut))).toEqual([insert, find]);
    expect(framer.pendingBytes).toBe(10);
    expect(framer.push(stream.subarray(cut))).toEqual([unacknowledged]);
  });

  test('handles a split inside the length field', () => {
    const framer = new MessageFramer();
    expect(framer.push(insert.subarray(0, 2))).toEqual([]);
    expect(framer.push(Buffer.concat([insert.subarray(2), find.subarray(0, 3)]))).toEqual([insert]);
    expect(framer.push(find.subarray(3))).toEqual([find]);
  });

  test('keeps the moreToCome flag of a framed message', () => {
    const framer = new MessageFramer();
    const [message] = framer.push(Buffer.concat([unacknowledged.subarray(0, 20), unacknowledged.subarray(20)]));
    expect(parseMessage(message!).moreToCome).toBe(true);
  });

  test('refuses an impossible length', () => {
    const garbage = Buffer.from('GET / HTTP/1.1\r\n\r\n');
    expect(() => new MessageFramer().push(garbage)).toThrow(WireProtocolError);
    const tooShort = Buffer.alloc(8);
    tooShort.writeInt32LE(8, 0);
    expect(() => new MessageFramer().push(tooShort)).toThrow(WireProtocolError);
  });
});

function withHeader(opCode: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + payload.length, 0);
  header.writeInt32LE(9, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, payload]);
}

describe('commandNamespace', () => {
  test('reads the collection and $db past values of every BSON type', () => {
    const body = {
      insert: 'users',
      documents: [{ _id: new ObjectId(), name: 'x' }],
      ordered: true,
      double: new Double(1.5),
      int: new Int32(3),
      long: Long.fromNumber(4),
      decimal: Decimal128.fromString('1.1'),
      date: new Date(0),
      timestamp: new Timestamp({ t: 1, i: 1 }),
      binary: new Binary(Buffer.from('abc')),
      regex: new BSONRegExp('a.b', 'i'),
      code: new Code('x'),
      nothing: null,
      min: new MinKey(),
      max: new MaxKey(),
      $db: 'app',
    };
    expect(commandNamespace(opMsg(body, { requestId: 1 }))).toBe('app.users');
  });

  test('is undefined when the first element is not a collection name, or $db is missing', () => {
    expect(commandNamespace(opMsg({ dropDatabase: 1, $db: 'app' }, { requestId: 1 }))).toBeUndefined();
    expect(commandNamespace(opMsg({ insert: 'users', documents: [] }, { requestId: 1 }))).toBeUndefined();
  });
});

describe('updateStatementCount', () => {
  test('counts the updates array of the body', () => {
    const updates = Array.from({ length: 7 }, (_, i) => ({ q: { _id: i }, u: { $set: { n: 1 } } }));
    expect(updateStatementCount(commandDocuments(opMsg({ update: 'c', updates, $db: 'app' }, { requestId: 1 })))).toBe(7);
  });

  test('counts an updates document sequence', () => {
    const docs = Buffer.concat([BSON.serialize({ q: {}, u: {} }), BSON.serialize({ q: {}, u: {} }), BSON.serialize({ q: {}, u: {} })]);
    const identifier = Buffer.from('updates\0');
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + identifier.length + docs.length);
    const body = BSON.serialize({ update: 'c', $db: 'app' });
    const message = withHeader(2013, Buffer.concat([Buffer.alloc(4), Buffer.from([0]), body, Buffer.from([1]), size, identifier, docs]));
    expect(updateStatementCount(commandDocuments(message))).toBe(3);
  });
});

describe('confinedDocument', () => {
  const confined = (message: Buffer, commandName: string) => confinedDocument(commandDocuments(message), commandName);
  const message = (body: Record<string, unknown>) => opMsg({ ...body, $db: 'app' }, { requestId: 1 });
  const id = new ObjectId();

  test('names the _id of a single statement, a findAndModify or a one-document insert', () => {
    const one = confined(message({ update: 'c', updates: [{ q: { _id: id, version: 3 }, u: { $inc: { n: 1 } } }] }), 'update');
    expect(one).toBeDefined();
    expect(confined(message({ findAndModify: 'c', query: { _id: id }, update: { $set: { n: 1 } } }), 'findAndModify')).toBe(one);
    expect(confined(message({ delete: 'c', deletes: [{ q: { _id: id }, limit: 1 }] }), 'delete')).toBe(one);
    expect(confined(message({ insert: 'c', documents: [{ _id: id, n: 1 }] }), 'insert')).toBe(one);
    // The same value of another type is another document.
    expect(confined(message({ insert: 'c', documents: [{ _id: id.toHexString() }] }), 'insert')).not.toBe(one);
    expect(confined(message({ insert: 'c', documents: [{ _id: new Int32(1) }] }), 'insert')).not.toBe(
      confined(message({ insert: 'c', documents: [{ _id: '1' }] }), 'insert'),
    );
  });

  test('names none for a write that may touch several documents', () => {
    const update = (q: unknown, count = 1) => message({ update: 'c', updates: Array.from({ length: count }, () => ({ q, u: {} })) });
    expect(confined(update({ userId: 'u' }), 'update')).toBeUndefined();
    expect(confined(update({ _id: { $in: [1, 2] } }), 'update')).toBeUndefined();
    expect(confined(update({ _id: 1 }, 2), 'update')).toBeUndefined();
    expect(confined(message({ findAndModify: 'c', query: { courseId: 'x' } }), 'findAndModify')).toBeUndefined();
    expect(confined(message({ insert: 'c', documents: [{ _id: 1 }, { _id: 2 }] }), 'insert')).toBeUndefined();
    expect(confined(message({ createIndexes: 'c', indexes: [] }), 'createIndexes')).toBeUndefined();
  });

  test('reads statements sent as a document sequence', () => {
    const identifier = Buffer.from('updates\0');
    const docs = BSON.serialize({ q: { _id: 'a' }, u: {} });
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + identifier.length + docs.length);
    const body = BSON.serialize({ update: 'c', $db: 'app' });
    const sequence = withHeader(2013, Buffer.concat([Buffer.alloc(4), Buffer.from([0]), body, Buffer.from([1]), size, identifier, docs]));
    expect(confined(sequence, 'update')).toBe(confined(message({ insert: 'c', documents: [{ _id: 'a' }] }), 'insert'));
  });
});

test('replyMessage answers a request id with a body a driver reads', () => {
  const reply = replyMessage(42, { ok: 0, errmsg: 'no', code: 16 });
  expect(parseMessage(reply)).toMatchObject({ responseTo: 42, opCode: 2013, commandName: 'ok', moreToCome: false });
  expect(BSON.deserialize(reply.subarray(21))).toEqual({ ok: 0, errmsg: 'no', code: 16 });
});
