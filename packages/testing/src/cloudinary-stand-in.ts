import busboy from 'busboy';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Larger request bodies are refused (413), and so are chunked uploads that add up to more. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Cloudinary refuses a signed request whose timestamp is older than an hour. */
const SIGNATURE_LIFETIME_S = 60 * 60;

/** Parameters that are sent but not signed (Cloudinary's rule, as the SDK's `api_sign_request` applies it). */
const UNSIGNED_PARAMS = new Set(['file', 'api_key', 'resource_type', 'cloud_name', 'signature']);

export interface CloudinaryStandInOptions {
  readonly cloudName: string;
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** An asset the stand-in holds, by its public id. */
export interface StandInAsset {
  readonly publicId: string;
  readonly resourceType: string;
  /** The delivery type asked for at upload (`upload`, the public one, unless told `authenticated` or `private`). */
  readonly type: string;
  readonly format: string | undefined;
  readonly version: number;
  readonly bytes: Buffer;
  readonly width?: number;
  readonly height?: number;
  /** The uploaded file's name without its extension, as Cloudinary's `original_filename`. */
  readonly originalFilename: string;
  /** The signed parameters of the request that stored it (the last chunk's, for a chunked upload). */
  readonly params: Readonly<Record<string, string>>;
}

/** What the stand-in saw of one request, in arrival order. */
export interface StandInRequest {
  readonly action: string;
  readonly resourceType: string;
  /** Every form field but the file, as sent (array fields joined with commas). */
  readonly params: Readonly<Record<string, string>>;
  /** Whether the request carried the right api key and a valid signature; undefined when it was not looked at (a failure or hang asked for). */
  readonly signatureValid: boolean | undefined;
  readonly fileBytes: number;
  readonly contentRange: string | undefined;
  readonly uniqueUploadId: string | undefined;
  /** The HTTP status answered, or 0 for a request left hanging. */
  readonly status: number;
}

export interface CloudinaryStandIn {
  /** What to pass as the SDK's `upload_prefix`: `http://127.0.0.1:<port>`. */
  readonly uploadPrefix: string;
  readonly stored: Map<string, StandInAsset>;
  readonly requests: StandInRequest[];
  /** Answer the next `n` requests with `status` and a Cloudinary-style error body, without looking at them. */
  failNext(n: number, status: number): void;
  /** Read the next `n` requests and never answer them (until `close`). */
  hangNext(n: number): void;
  close(): Promise<void>;
}

interface ParsedForm {
  readonly fields: Record<string, string>;
  readonly file: Buffer | undefined;
  readonly filename?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The string Cloudinary signs: every parameter but the unsigned ones and the
 * empty ones, sorted by name, as `name=value` joined with `&`; each pair has
 * its `&` written `%26` (the SDK's signature version 2, which keeps a value
 * from smuggling in another parameter). The signature is the SHA-1 hex of
 * that string followed by the api secret.
 */
export function cloudinaryStringToSign(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .filter(([name, value]) => !UNSIGNED_PARAMS.has(name) && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`.replace(/&/g, '%26'))
    .join('&');
}

export function cloudinarySignature(params: Readonly<Record<string, string>>, apiSecret: string): string {
  return createHash('sha1')
    .update(cloudinaryStringToSign(params) + apiSecret)
    .digest('hex');
}

/**
 * Whether a delivery URL (`https://res.cloudinary.com/<cloud>/<resource>/<type>/s--<signature>--/...`)
 * carries the signature Cloudinary's CDN checks before serving an
 * authenticated file: the first 8 characters of the URL-safe base64 SHA-1 of
 * what follows the signature (the transformation and the public id with its
 * format; not the version) and the api secret.
 */
export function deliveryUrlSigned(url: string, apiSecret: string): boolean {
  const match = /^https:\/\/res\.cloudinary\.com\/[^/]+\/[^/]+\/[^/]+\/s--([A-Za-z0-9_-]{8})--\/(.+)$/.exec(url);
  if (!match) return false;
  const signed = match[2]!
    .split('/')
    .filter((segment) => !/^v\d+$/.test(segment))
    .join('/');
  const expected = createHash('sha1')
    .update(signed + apiSecret)
    .digest('base64')
    .slice(0, 8)
    .replace(/\//g, '_')
    .replace(/\+/g, '-');
  return sameText(match[1]!, expected);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The format from the first bytes, as Cloudinary reports it (`undefined` when not a known image or video). */
function detectFormat(bytes: Buffer): { format: string; kind: 'image' | 'video' } | undefined {
  const starts = (hex: string, at = 0) => bytes.subarray(at, at + hex.length / 2).toString('hex') === hex;
  if (starts('89504e470d0a1a0a')) return { format: 'png', kind: 'image' };
  if (starts('ffd8ff')) return { format: 'jpg', kind: 'image' };
  if (starts('474946383761') || starts('474946383961')) return { format: 'gif', kind: 'image' };
  if (starts('52494646') && starts('57454250', 8)) return { format: 'webp', kind: 'image' };
  if (starts('1a45dfa3')) return { format: 'webm', kind: 'video' };
  if (starts('66747970', 4)) {
    const brand = bytes.subarray(8, 12).toString('latin1');
    if (brand.startsWith('avi')) return { format: 'avif', kind: 'image' };
    return { format: brand === 'qt  ' ? 'mov' : 'mp4', kind: 'video' };
  }
  return undefined;
}

/** A PNG's size, from its IHDR chunk (the first one, right after the 8-byte signature). */
function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 24 || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function parseForm(request: IncomingMessage): Promise<ParsedForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { fileSize: MAX_BODY_BYTES, files: 1, fields: 100, fieldSize: 64 * 1024 } });
    } catch (error) {
      reject(new HttpError(400, `Invalid multipart body: ${(error as Error).message}`));
      return;
    }
    const fields: Record<string, string> = {};
    const arrays: Record<string, string[]> = {};
    let file: Buffer | undefined;
    let filename: string | undefined;
    let tooLarge = false;
    parser.on('field', (name, value) => {
      // The SDK sends an array as repeated `name[]` fields, and signs it as the values joined with commas.
      if (name.endsWith('[]')) (arrays[name.slice(0, -2)] ??= []).push(value);
      else fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      filename = info.filename;
      const parts: Buffer[] = [];
      stream.on('data', (part: Buffer) => parts.push(part));
      stream.on('limit', () => (tooLarge = true));
      stream.on('end', () => (file = Buffer.concat(parts)));
    });
    parser.on('error', (error: Error) => reject(new HttpError(400, `Invalid multipart body: ${error.message}`)));
    parser.on('close', () => {
      if (tooLarge) return reject(new HttpError(413, `File size too large. Maximum is ${MAX_BODY_BYTES}.`));
      for (const [name, values] of Object.entries(arrays)) fields[name] = values.join(',');
      resolve({ fields, file, ...(filename !== undefined && { filename }) });
    });
    // A client that gives up mid-body (a timeout) never lets the parser finish.
    request.on('close', () => {
      if (!request.complete) reject(new HttpError(400, 'The request body was cut short'));
    });
    request.pipe(parser);
  });
}

function drain(request: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    request.on('error', () => resolve());
    request.on('end', () => resolve());
    request.resume();
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * A real HTTP server on 127.0.0.1 standing in for Cloudinary's upload API, for
 * tests of code that uses the Cloudinary SDK: signed uploads (whole or in
 * chunks, as `upload_large` sends them) of any delivery type, destroys and
 * `explicit` (with no changes asked: the resource's description) of one
 * type, and signed downloads that expire, checked the way Cloudinary checks
 * them, with failures and hangs on request.
 */
export async function startCloudinaryStandIn(options: CloudinaryStandInOptions): Promise<CloudinaryStandIn> {
  const stored = new Map<string, StandInAsset>();
  const requests: StandInRequest[] = [];
  /** Chunked uploads under way, by their X-Unique-Upload-Id: the parts received, by their first byte. */
  const pending = new Map<string, { parts: Map<number, Buffer>; received: number }>();
  const faults: Array<{ status: number } | 'hang'> = [];
  let lastVersion = 0;

  const assetUrl = (secure: boolean, asset: StandInAsset) =>
    `${secure ? 'https' : 'http'}://res.cloudinary.com/${options.cloudName}/${asset.resourceType}/${asset.type}/v${asset.version}/${asset.publicId}${asset.format ? `.${asset.format}` : ''}`;

  /** The stored asset under `publicId` when it is of this resource type and delivery type (`upload` unless told). */
  const storedAs = (publicId: string, resourceType: string, type: string | undefined): StandInAsset | undefined => {
    const asset = stored.get(publicId);
    return asset?.resourceType === resourceType && asset.type === (type || 'upload') ? asset : undefined;
  };

  function checkSignature(fields: Readonly<Record<string, string>>): void {
    if (fields.api_key !== options.apiKey) throw new HttpError(401, `Unknown API key ${fields.api_key ?? ''}`);
    const signature = fields.signature ?? '';
    const stringToSign = cloudinaryStringToSign(fields);
    if (!sameText(signature, cloudinarySignature(fields, options.apiSecret))) {
      throw new HttpError(401, `Invalid Signature ${signature}. String to sign - '${stringToSign}'.`);
    }
    const timestamp = Number(fields.timestamp);
    if (!Number.isInteger(timestamp)) throw new HttpError(400, 'Missing required parameter - timestamp');
    if (timestamp < Date.now() / 1000 - SIGNATURE_LIFETIME_S) {
      throw new HttpError(
        400,
        `Stale request - reported time is ${new Date(timestamp * 1000).toISOString()} which is more than 1 hour ago`,
      );
    }
  }

  /** The whole file of an upload, or undefined while a chunked upload waits for more parts. */
  function assemble(request: IncomingMessage, file: Buffer): Buffer | undefined {
    const uploadId = request.headers['x-unique-upload-id'];
    const range = request.headers['content-range'];
    if (typeof uploadId !== 'string' || typeof range !== 'string') return file;
    const match = /^bytes (\d+)-(\d+)\/(-1|\d+)$/.exec(range);
    if (!match) throw new HttpError(400, `Invalid Content-Range header ${range}`);
    const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (end - start + 1 !== file.length) throw new HttpError(400, `Content-Range ${range} does not match the ${file.length} bytes sent`);
    const upload = pending.get(uploadId) ?? { parts: new Map<number, Buffer>(), received: 0 };
    upload.received += file.length - (upload.parts.get(start)?.length ?? 0);
    if (upload.received > MAX_BODY_BYTES) {
      pending.delete(uploadId);
      throw new HttpError(413, `File size too large. Maximum is ${MAX_BODY_BYTES}.`);
    }
    upload.parts.set(start, file);
    pending.set(uploadId, upload);
    if (total === -1) return undefined;
    pending.delete(uploadId);
    const parts = [...upload.parts.entries()].sort(([a], [b]) => a - b);
    let next = 0;
    for (const [at, part] of parts) {
      if (at !== next) throw new HttpError(400, `Chunked upload ${uploadId} is missing bytes ${next}-${at - 1}`);
      next += part.length;
    }
    if (next !== total) throw new HttpError(400, `Chunked upload ${uploadId} has ${next} bytes, not ${total}`);
    return Buffer.concat(parts.map(([, part]) => part));
  }

  function upload(request: IncomingMessage, resourceType: string, form: ParsedForm): { status: number; body: unknown } {
    if (!form.file) throw new HttpError(400, 'Missing required parameter - file');
    const whole = assemble(request, form.file);
    // The SDK only looks for `error` in the answer to an intermediate chunk before it sends the next one.
    if (!whole) return { status: 200, body: { done: false, bytes: form.file.length } };
    const detected = detectFormat(whole);
    if (resourceType === 'image' && detected?.kind !== 'image') throw new HttpError(400, 'Invalid image file');
    if (resourceType === 'video' && detected?.kind !== 'video') throw new HttpError(400, 'Invalid video file');
    const finalType = resourceType === 'auto' ? (detected?.kind ?? 'raw') : resourceType;
    const format = finalType === 'raw' ? undefined : detected?.format;
    const allowed = form.fields.allowed_formats;
    if (allowed && (!format || !allowed.split(',').includes(format))) {
      throw new HttpError(400, `${finalType === 'video' ? 'Video' : 'Image'} file format ${format ?? 'unknown'} not allowed`);
    }
    const publicId = form.fields.public_id || randomBytes(10).toString('hex');
    const existing = stored.get(publicId);
    if (existing && (form.fields.overwrite === '0' || form.fields.overwrite === 'false')) {
      return { status: 200, body: { ...describe(existing), existing: true } };
    }
    lastVersion = Math.max(Math.floor(Date.now() / 1000), lastVersion + 1);
    const size = format === 'png' ? pngSize(whole) : undefined;
    const asset: StandInAsset = {
      publicId,
      resourceType: finalType,
      type: form.fields.type || 'upload',
      format,
      version: lastVersion,
      bytes: whole,
      originalFilename: (form.filename ?? 'file').replace(/\.[^.]*$/, ''),
      params: form.fields,
      ...size,
    };
    stored.set(publicId, asset);
    return { status: 200, body: describe(asset) };
  }

  function describe(asset: StandInAsset): Record<string, unknown> {
    return {
      asset_id: createHash('md5').update(`${asset.resourceType}/${asset.publicId}`).digest('hex'),
      public_id: asset.publicId,
      version: asset.version,
      version_id: createHash('md5').update(`${asset.publicId}/${asset.version}`).digest('hex'),
      // Cloudinary signs its answer: SHA-1 of `public_id=..&version=..` and the api secret.
      signature: cloudinarySignature({ public_id: asset.publicId, version: String(asset.version) }, options.apiSecret),
      ...(asset.width !== undefined ? { width: asset.width, height: asset.height } : {}),
      ...(asset.format ? { format: asset.format } : {}),
      resource_type: asset.resourceType,
      created_at: new Date(asset.version * 1000).toISOString(),
      tags: [],
      bytes: asset.bytes.length,
      type: asset.type,
      etag: createHash('md5').update(asset.bytes).digest('hex'),
      placeholder: false,
      url: assetUrl(false, asset),
      secure_url: assetUrl(true, asset),
      original_filename: asset.originalFilename,
    };
  }

  function destroy(resourceType: string, form: ParsedForm): { status: number; body: unknown } {
    const publicId = form.fields.public_id;
    if (!publicId) throw new HttpError(400, 'Missing required parameter - public_id');
    if (!storedAs(publicId, resourceType, form.fields.type)) return { status: 200, body: { result: 'not found' } };
    stored.delete(publicId);
    return { status: 200, body: { result: 'ok' } };
  }

  /** What Cloudinary answers `explicit` with no other parameter: the resource as stored. */
  function explicit(resourceType: string, form: ParsedForm): { status: number; body: unknown } {
    const publicId = form.fields.public_id;
    if (!publicId) throw new HttpError(400, 'Missing required parameter - public_id');
    const asset = storedAs(publicId, resourceType, form.fields.type);
    if (!asset) throw new HttpError(404, `Resource not found - ${publicId}`);
    return { status: 200, body: describe(asset) };
  }

  /**
   * The upload API's download of an original (`private_download_url`): a GET
   * whose query is signed like an upload and which stops working at its
   * `expires_at`. Answers the file's bytes.
   */
  function download(resourceType: string, query: Readonly<Record<string, string>>, signed: boolean): { status: number; bytes: Buffer } {
    if (!signed) throw new HttpError(401, 'Invalid Signature');
    const expiresAt = Number(query.expires_at);
    if (query.expires_at !== undefined && !(expiresAt > Date.now() / 1000)) throw new HttpError(401, 'The download URL has expired');
    const asset = storedAs(query.public_id ?? '', resourceType, query.type);
    if (!asset || (query.format && query.format !== asset.format))
      throw new HttpError(404, `Resource not found - ${query.public_id ?? ''}`);
    return { status: 200, bytes: asset.bytes };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = /^\/v1_1\/([^/]+)\/([^/]+)\/([^/?]+)$/.exec((request.url ?? '').split('?')[0] ?? '');
    const [resourceType, action] = [route?.[2] ?? '', route?.[3] ?? ''];
    const record = (entry: Pick<StandInRequest, 'params' | 'signatureValid' | 'fileBytes' | 'status'>) =>
      requests.push({
        action,
        resourceType,
        contentRange: request.headers['content-range'],
        uniqueUploadId: typeof request.headers['x-unique-upload-id'] === 'string' ? request.headers['x-unique-upload-id'] : undefined,
        ...entry,
      });

    const fault = faults.shift();
    if (fault === 'hang') {
      request.resume();
      record({ params: {}, signatureValid: undefined, fileBytes: 0, status: 0 });
      return;
    }
    if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      record({ params: {}, signatureValid: undefined, fileBytes: 0, status: 413 });
      response.setHeader('connection', 'close');
      send(response, 413, { error: { message: `Request body too large. Maximum is ${MAX_BODY_BYTES}.` } });
      request.destroy();
      return;
    }

    if (fault) {
      // Read the body first, so that the client sees the answer rather than a broken pipe.
      await drain(request);
      record({ params: {}, signatureValid: undefined, fileBytes: 0, status: fault.status });
      send(response, fault.status, { error: { message: `Stand-in failure ${fault.status}, as asked` } });
      return;
    }

    if (request.method === 'GET' && action === 'download' && route?.[1] === options.cloudName) {
      const query = Object.fromEntries(new URL(request.url ?? '', 'http://stand-in').searchParams);
      const signed = query.api_key === options.apiKey && sameText(query.signature ?? '', cloudinarySignature(query, options.apiSecret));
      try {
        const { status, bytes } = download(resourceType, query, signed);
        record({ params: query, signatureValid: signed, fileBytes: 0, status });
        response.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
        response.end(bytes);
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        record({ params: query, signatureValid: signed, fileBytes: 0, status });
        send(response, status, { error: { message: error instanceof Error ? error.message : 'Internal error' } });
      }
      return;
    }

    let form: ParsedForm = { fields: {}, file: undefined };
    let signatureValid: boolean | undefined;
    let answer: { status: number; body: unknown };
    try {
      form = await parseForm(request);
      if (request.method !== 'POST' || !route) throw new HttpError(404, 'Not found');
      if (route[1] !== options.cloudName) throw new HttpError(401, `Invalid cloud_name ${route[1]}`);
      signatureValid = false;
      checkSignature(form.fields);
      signatureValid = true;
      if (action === 'upload') answer = upload(request, resourceType, form);
      else if (action === 'destroy') answer = destroy(resourceType, form);
      else if (action === 'explicit') answer = explicit(resourceType, form);
      else throw new HttpError(404, `Unsupported action ${action}`);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      answer = { status, body: { error: { message: error instanceof Error ? error.message : 'Internal error' } } };
    }
    record({ params: form.fields, signatureValid, fileBytes: form.file?.length ?? 0, status: answer.status });
    if (answer.status === 413) response.setHeader('connection', 'close');
    send(response, answer.status, answer.body);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { error: { message: (error as Error).message } });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    uploadPrefix: `http://127.0.0.1:${port}`,
    stored,
    requests,
    failNext(n, status) {
      for (let i = 0; i < n; i++) faults.push({ status });
    },
    hangNext(n) {
      for (let i = 0; i < n; i++) faults.push('hang');
    },
    close() {
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hung requests and kept-alive sockets would hold `close` open.
        server.closeAllConnections();
      });
    },
  };
}
