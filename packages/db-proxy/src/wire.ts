// The little of the MongoDB wire protocol the proxy needs: cutting a byte
// stream into messages and naming the command an OP_MSG carries.
// https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/
// All integers are little-endian.
import { BSON, type Document } from 'bson';

export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const HEADER_SIZE = 16;
/** MongoDB's maxMessageSizeBytes; anything larger is a broken stream, not a message. */
export const MAX_MESSAGE_SIZE = 48_000_000;

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
const SECTION_BODY = 0;
const SECTION_DOCUMENT_SEQUENCE = 1;

export class WireProtocolError extends Error {
  override name = 'WireProtocolError';
}

export interface MessageHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export interface MessageInfo extends MessageHeader {
  /** First key of an OP_MSG body (`insert`, `find`, `hello`…); undefined for other op codes. */
  commandName: string | undefined;
  /** OP_MSG moreToCome: the sender expects no reply to this message. */
  moreToCome: boolean;
}

export function readHeader(message: Buffer): MessageHeader {
  if (message.length < HEADER_SIZE) throw new WireProtocolError(`message of ${message.length} bytes has no header`);
  return {
    messageLength: message.readInt32LE(0),
    requestId: message.readInt32LE(4),
    responseTo: message.readInt32LE(8),
    opCode: message.readInt32LE(12),
  };
}

/**
 * Reads the header and, for OP_MSG, the flag bits and the command name.
 * `message` must be exactly one whole message, as MessageFramer returns them.
 */
export function parseMessage(message: Buffer): MessageInfo {
  const header = readHeader(message);
  if (header.opCode !== OP_MSG) return { ...header, commandName: undefined, moreToCome: false };

  const flags = readUInt32(message, HEADER_SIZE);
  // The checksum, when present, takes the last 4 bytes, after the sections.
  const sectionsEnd = message.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
  return {
    ...header,
    commandName: commandNameOfSections(message, HEADER_SIZE + 4, sectionsEnd),
    moreToCome: (flags & MORE_TO_COME) !== 0,
  };
}

/** A command's documents: its body, and its document sequences (kind 1 sections) by identifier. */
export interface CommandDocuments {
  body: Document | undefined;
  sequences: Map<string, Document[]>;
}

/** Reads a command's documents once, for what the proxy decides about a write. */
export function commandDocuments(message: Buffer): CommandDocuments {
  const flags = readUInt32(message, HEADER_SIZE);
  const end = message.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
  let body: Document | undefined;
  const sequences = new Map<string, Document[]>();
  let offset = HEADER_SIZE + 4;
  while (offset < end) {
    const kind = message[offset];
    offset += 1;
    const size = readInt32(message, offset, end);
    if (kind === SECTION_BODY) {
      body = BSON.deserialize(message.subarray(offset, offset + size));
    } else {
      const identifierEnd = message.indexOf(0, offset + 4);
      const documents: Document[] = [];
      for (let document = identifierEnd + 1; document < offset + size; document += readInt32(message, document, end))
        documents.push(BSON.deserialize(message.subarray(document, document + readInt32(message, document, end))));
      sequences.set(message.toString('utf8', offset + 4, identifierEnd), documents);
    }
    offset += size;
  }
  return { body, sequences };
}

/** A command's statements of one kind (`updates`, `deletes`, `documents`): a document sequence or, as the Node driver sends them, an array of the body. */
function statementsOf({ body, sequences }: CommandDocuments, identifier: string): unknown[] {
  const fromBody: unknown = body?.[identifier];
  return sequences.get(identifier) ?? (Array.isArray(fromBody) ? fromBody : []);
}

/** How many statements an `update` command carries. */
export function updateStatementCount(command: CommandDocuments): number {
  return statementsOf(command, 'updates').length;
}

/** An `_id` equality (`{ _id: 5 }`, an ObjectId, a string…) as a canonical string; undefined for an operator (`{ _id: { $in: … } }`) or none. */
function idEquality(filter: unknown): string | undefined {
  if (typeof filter !== 'object' || filter === null || !('_id' in filter)) return undefined;
  const id: unknown = filter._id;
  if (id === undefined) return undefined;
  if (typeof id === 'object' && id !== null && Object.getPrototypeOf(id) === Object.prototype) {
    if (Object.keys(id).some((key) => key.startsWith('$'))) return undefined;
  }
  return BSON.EJSON.stringify({ id }, { relaxed: false });
}

/**
 * The one document a write can change, as its `_id` (canonical extended
 * JSON), when the command says so: a single update or delete statement or a
 * findAndModify whose filter is on `_id`, an insert of one document. Undefined
 * when it may touch several documents of its collection.
 */
export function confinedDocument(command: CommandDocuments, commandName: string): string | undefined {
  const single = (identifier: string): Document | undefined => {
    const all = statementsOf(command, identifier);
    return all.length === 1 ? (all[0] as Document) : undefined;
  };
  switch (commandName) {
    case 'update':
      return idEquality(single('updates')?.q);
    case 'delete':
      return idEquality(single('deletes')?.q);
    case 'findAndModify':
    case 'findandmodify':
      return idEquality(command.body?.query);
    case 'insert':
      return idEquality(single('documents'));
    default:
      return undefined;
  }
}

/**
 * `database.collection` of an OP_MSG command whose first element names its
 * collection (`insert: "users"`, …, `$db: "app"`); undefined when the body has
 * no such pair. Reads only the two strings: the body's other elements, an
 * insert's documents among them, are stepped over by their sizes.
 */
export function commandNamespace(message: Buffer): string | undefined {
  const flags = readUInt32(message, HEADER_SIZE);
  const end = message.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
  let offset = HEADER_SIZE + 4;
  while (offset < end) {
    const kind = message[offset];
    offset += 1;
    const size = readInt32(message, offset, end);
    if (kind === SECTION_BODY) return namespaceOfBody(message, offset, offset + size);
    offset += size;
  }
  return undefined;
}

function namespaceOfBody(message: Buffer, start: number, end: number): string | undefined {
  let collection: string | undefined;
  let database: string | undefined;
  let offset = start + 4;
  for (let first = true; offset < end - 1; first = false) {
    const type = message[offset]!;
    const nameEnd = message.indexOf(0, offset + 1);
    if (nameEnd < 0 || nameEnd >= end) throw new WireProtocolError('OP_MSG body has an unterminated key');
    const name = message.toString('utf8', offset + 1, nameEnd);
    const valueStart = nameEnd + 1;
    if (type === BSON_STRING) {
      const value = message.toString('utf8', valueStart + 4, valueStart + readInt32(message, valueStart, end) + 3);
      if (first) collection = value;
      else if (name === '$db') database = value;
    } else if (first) {
      return undefined;
    }
    offset = valueStart + bsonValueSize(message, type, valueStart, end);
  }
  return collection !== undefined && database !== undefined ? `${database}.${collection}` : undefined;
}

const BSON_STRING = 0x02;

/** Bytes a BSON value of `type` takes at `offset` (bsonspec.org). */
function bsonValueSize(message: Buffer, type: number, offset: number, end: number): number {
  switch (type) {
    case 0x06: // undefined
    case 0x0a: // null
    case 0x7f: // max key
    case 0xff: // min key
      return 0;
    case 0x08: // boolean
      return 1;
    case 0x10: // int32
      return 4;
    case 0x01: // double
    case 0x09: // UTC datetime
    case 0x11: // timestamp
    case 0x12: // int64
      return 8;
    case 0x07: // ObjectId
      return 12;
    case 0x13: // decimal128
      return 16;
    case 0x02: // string
    case 0x0d: // JavaScript code
    case 0x0e: // symbol
      return 4 + readInt32(message, offset, end);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return readInt32(message, offset, end);
    case 0x05: // binary: length, subtype, bytes
      return 5 + readInt32(message, offset, end);
    case 0x0c: // DBPointer: string, ObjectId
      return 4 + readInt32(message, offset, end) + 12;
    case 0x0b: {
      // regular expression: two C strings
      const patternEnd = message.indexOf(0, offset);
      const optionsEnd = message.indexOf(0, patternEnd + 1);
      if (patternEnd < 0 || optionsEnd < 0 || optionsEnd >= end) throw new WireProtocolError('unterminated BSON regular expression');
      return optionsEnd + 1 - offset;
    }
    default:
      throw new WireProtocolError(`unknown BSON type 0x${type.toString(16)}`);
  }
}

/** An OP_MSG reply to `requestId` carrying `body`, as a server answers a command. */
export function replyMessage(requestId: number, body: Document): Buffer {
  const document = BSON.serialize(body);
  const message = Buffer.alloc(HEADER_SIZE + 5 + document.length);
  message.writeInt32LE(message.length, 0);
  message.writeInt32LE(0, 4);
  message.writeInt32LE(requestId, 8);
  message.writeInt32LE(OP_MSG, 12);
  message.writeUInt32LE(0, HEADER_SIZE);
  message.writeUInt8(SECTION_BODY, HEADER_SIZE + 4);
  message.set(document, HEADER_SIZE + 5);
  return message;
}

function commandNameOfSections(message: Buffer, start: number, end: number): string | undefined {
  let offset = start;
  while (offset < end) {
    const kind = message[offset];
    offset += 1;
    if (kind === SECTION_BODY) return firstKeyOfDocument(message, offset, end);
    if (kind !== SECTION_DOCUMENT_SEQUENCE) throw new WireProtocolError(`unknown OP_MSG section kind ${kind}`);
    // A sequence's size counts its own 4 bytes and everything after it.
    const size = readInt32(message, offset, end);
    if (size < 4) throw new WireProtocolError(`OP_MSG document sequence of size ${size}`);
    offset += size;
  }
  throw new WireProtocolError('OP_MSG without a body section');
}

/** A BSON element is a type byte then a NUL-terminated name; type 0 ends the document. */
function firstKeyOfDocument(message: Buffer, documentStart: number, end: number): string | undefined {
  const size = readInt32(message, documentStart, end);
  const documentEnd = documentStart + size;
  if (size < 5 || documentEnd > end) throw new WireProtocolError(`OP_MSG body of size ${size} does not fit`);
  const typeOffset = documentStart + 4;
  if (message[typeOffset] === 0) return undefined;
  const nameStart = typeOffset + 1;
  const nameEnd = message.indexOf(0, nameStart);
  if (nameEnd < 0 || nameEnd >= documentEnd) throw new WireProtocolError('OP_MSG body has an unterminated key');
  return message.toString('utf8', nameStart, nameEnd);
}

function readInt32(message: Buffer, offset: number, end: number): number {
  if (offset + 4 > end) throw new WireProtocolError(`truncated message: int32 at ${offset} of ${end}`);
  return message.readInt32LE(offset);
}

function readUInt32(message: Buffer, offset: number): number {
  if (offset + 4 > message.length) throw new WireProtocolError(`truncated message: uint32 at ${offset}`);
  return message.readUInt32LE(offset);
}

/**
 * Cuts a TCP byte stream into whole messages: a message may arrive split over
 * several chunks, and one chunk may hold several messages.
 */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Adds a chunk and returns the messages it completed, in order. Throws WireProtocolError on an impossible length. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: Buffer[] = [];
    while (this.buffered >= 4) {
      const length = this.peekLength();
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
        throw new WireProtocolError(`impossible message length ${length}`);
      }
      if (this.buffered < length) break;
      messages.push(this.take(length));
    }
    return messages;
  }

  /** Bytes received that do not yet make a whole message. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private peekLength(): number {
    if (this.chunks[0]!.length < 4) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0]!.readInt32LE(0);
  }

  // Chunks are joined only once a message is complete, so a large message
  // arriving in many chunks is copied once, not once per chunk.
  private take(length: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    const rest = all.subarray(length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return all.subarray(0, length);
  }
}
