import { isObjectIdText, type Caller, type ServiceClient } from '@testmancer/shared';
import type { mediaV1 } from '@testmancer/proto';
import busboy from 'busboy';
import type { Request } from 'express';
import type { Readable } from 'node:stream';
import { HttpProblem, toHttpProblem } from '../http/problem';

/** Room for the multipart framing and the courseId field around the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export interface UploadOptions {
  readonly media: ServiceClient<typeof mediaV1.MediaServiceService>;
  readonly caller: Caller;
  readonly maxFileBytes: number;
  readonly deadlineMs: number;
}

const notAnId = () =>
  new HttpProblem(400, 'courseId must be a 24-character hexadecimal id', [{ path: 'body/courseId', message: 'not an id' }]);

/**
 * Streams a `multipart/form-data` upload into the media service's
 * client-streaming UploadAsset, chunk by chunk with backpressure: the gateway
 * never holds more than a few chunks. The course comes first (the
 * `courseId` field before `file`, or `?courseId=`), with the request's size
 * as the file's declared size, so that the media service decides who may
 * upload and whether the course has room before it stages a byte. Whichever
 * side fails first (the form, the client, the service) ends both.
 */
export function streamUpload(req: Request, options: UploadOptions): Promise<mediaV1.Asset> {
  const declaredLength = Number(req.get('content-length') ?? Number.NaN);
  if (declaredLength > options.maxFileBytes + FORM_OVERHEAD_BYTES) {
    return Promise.reject(new HttpProblem(413, `uploads are limited to ${String(options.maxFileBytes)} bytes`));
  }
  const fromQuery = typeof req.query.courseId === 'string' ? req.query.courseId : undefined;
  if (fromQuery !== undefined && !isObjectIdText(fromQuery)) return Promise.reject(notAnId());
  return new Promise((resolve, reject) => {
    let settled = false;
    let courseId = fromQuery?.toLowerCase();
    let fileSeen = false;
    const cancel = new AbortController();

    const fail = (problem: Error) => {
      if (settled) return;
      settled = true;
      cancel.abort();
      req.unpipe(form);
      // The rest of the body is read and dropped, so that the answer reaches a client still sending.
      req.resume();
      reject(problem);
    };

    let form: busboy.Busboy;
    try {
      form = busboy({
        headers: req.headers,
        // The name as sent, so that the media service refuses one that tries to be a path (rather than busboy trimming it).
        preservePath: true,
        // One file and one field: the count limits bound the form (busboy's parts limit fires on reaching it, not passing it).
        limits: { files: 1, fields: 1, fieldSize: 256, fileSize: options.maxFileBytes },
      });
    } catch {
      reject(new HttpProblem(400, 'the multipart body needs a boundary in its Content-Type'));
      return;
    }

    form.on('field', (name, value, info) => {
      if (name !== 'courseId')
        return fail(new HttpProblem(400, `unknown form field "${name}"`, [{ path: `body/${name}`, message: 'unknown field' }]));
      if (info.valueTruncated || !isObjectIdText(value)) return fail(notAnId());
      if (fileSeen)
        return fail(new HttpProblem(400, 'courseId must come before the file', [{ path: 'body/courseId', message: 'after the file' }]));
      courseId = value.toLowerCase();
    });

    form.on('file', (name, file, info) => {
      if (name !== 'file') {
        file.resume();
        return fail(
          new HttpProblem(400, `the file goes in the field "file", not "${name}"`, [{ path: `body/${name}`, message: 'unknown field' }]),
        );
      }
      fileSeen = true;
      if (!courseId) {
        file.resume();
        return fail(
          new HttpProblem(400, 'the course comes before the file: a courseId field first, or ?courseId=', [
            { path: 'body/courseId', message: 'required before the file' },
          ]),
        );
      }
      file.on('limit', () => fail(new HttpProblem(413, `uploads are limited to ${String(options.maxFileBytes)} bytes`)));
      const metadata: mediaV1.UploadMetadata = {
        courseId,
        filename: info.filename ?? '',
        contentType: info.mimeType,
        // The request's size bounds the file's: the media service checks the quota with it before staging.
        declaredSize: Number.isFinite(declaredLength) ? declaredLength : 0,
      };
      options.media
        .uploadAsset(requests(metadata, file), { caller: options.caller, deadline: options.deadlineMs, signal: cancel.signal })
        .then(
          ({ asset }) => {
            if (settled) return;
            settled = true;
            resolve(asset as mediaV1.Asset);
          },
          (error: unknown) => fail(toHttpProblem(error)),
        );
    });

    form.on('filesLimit', () => fail(new HttpProblem(400, 'an upload carries one file')));
    form.on('fieldsLimit', () => fail(new HttpProblem(400, 'an upload carries one field besides the file: courseId')));
    form.on('error', () => fail(new HttpProblem(400, 'the multipart body could not be read')));
    form.on('close', () => {
      if (!settled && !fileSeen) fail(new HttpProblem(400, 'the upload has no file field', [{ path: 'body/file', message: 'required' }]));
    });
    req.on('aborted', () => fail(new HttpProblem(400, 'the request was aborted')));
    req.pipe(form);
  });
}

/** The call's messages: the metadata, then the file's chunks as the media service takes them (backpressure). */
async function* requests(metadata: mediaV1.UploadMetadata, file: Readable): AsyncIterable<mediaV1.UploadAssetRequest> {
  yield { payload: { $case: 'metadata', value: metadata } };
  for await (const chunk of file as AsyncIterable<Buffer>) yield { payload: { $case: 'chunk', value: chunk } };
}
