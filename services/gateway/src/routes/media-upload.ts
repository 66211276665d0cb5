import type { ClientWritableStream, ServiceError } from '@grpc/grpc-js';
import { Metadata } from '@grpc/grpc-js';
import { callerToProto, type Caller } from '@testmancer/shared';
import type { mediaV1 } from '@testmancer/proto';
import busboy from 'busboy';
import type { Request } from 'express';
import { HttpProblem, toHttpProblem } from '../http/problem';

/** Room for the multipart framing and the courseId field around the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export interface UploadOptions {
  readonly media: mediaV1.MediaServiceClient;
  readonly caller: Caller;
  readonly maxFileBytes: number;
  readonly deadlineMs: number;
}

const OBJECT_ID = /^[0-9a-fA-F]{24}$/;

/**
 * Streams a `multipart/form-data` upload (`file`, plus `courseId` before or
 * after it) into the media service's client-streaming UploadAsset, chunk by
 * chunk with backpressure: the gateway never holds more than a few chunks.
 * Whichever side fails first (the form, the client, the service) ends both.
 */
export function streamUpload(req: Request, options: UploadOptions): Promise<mediaV1.Asset> {
  const declaredLength = Number(req.get('content-length') ?? Number.NaN);
  if (declaredLength > options.maxFileBytes + FORM_OVERHEAD_BYTES) {
    return Promise.reject(new HttpProblem(413, `uploads are limited to ${String(options.maxFileBytes)} bytes`));
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    let call: ClientWritableStream<mediaV1.UploadAssetRequest> | undefined;
    let courseId: string | undefined;
    let fileSeen = false;

    const fail = (problem: Error) => {
      if (settled) return;
      settled = true;
      call?.cancel();
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
      if (info.valueTruncated || !OBJECT_ID.test(value)) {
        return fail(
          new HttpProblem(400, 'courseId must be a 24-character hexadecimal id', [{ path: 'body/courseId', message: 'not an id' }]),
        );
      }
      courseId = value.toLowerCase();
      call?.write({ payload: { $case: 'courseId', value: courseId } });
    });

    form.on('file', (name, file, info) => {
      if (name !== 'file') {
        file.resume();
        return fail(
          new HttpProblem(400, `the file goes in the field "file", not "${name}"`, [{ path: `body/${name}`, message: 'unknown field' }]),
        );
      }
      fileSeen = true;
      const upload = options.media.uploadAsset(
        new Metadata(),
        { deadline: Date.now() + options.deadlineMs },
        (error: ServiceError | null, response) => {
          if (error) fail(toHttpProblem(error));
          else if (!settled) {
            settled = true;
            resolve(response.asset as mediaV1.Asset);
          }
        },
      );
      call = upload;
      upload.write({
        payload: {
          $case: 'metadata',
          value: {
            caller: callerToProto(options.caller),
            courseId: courseId ?? '',
            filename: info.filename ?? '',
            contentType: info.mimeType,
            declaredSize: 0,
          },
        },
      });
      file.on('data', (chunk: Buffer) => {
        if (settled) return;
        if (!upload.write({ payload: { $case: 'chunk', value: chunk } })) {
          file.pause();
          upload.once('drain', () => file.resume());
        }
      });
      file.on('limit', () => fail(new HttpProblem(413, `uploads are limited to ${String(options.maxFileBytes)} bytes`)));
    });

    form.on('filesLimit', () => fail(new HttpProblem(400, 'an upload carries one file')));
    form.on('fieldsLimit', () => fail(new HttpProblem(400, 'an upload carries one field besides the file: courseId')));
    form.on('error', () => fail(new HttpProblem(400, 'the multipart body could not be read')));
    form.on('close', () => {
      if (settled) return;
      if (!fileSeen) return fail(new HttpProblem(400, 'the upload has no file field', [{ path: 'body/file', message: 'required' }]));
      if (!courseId)
        return fail(new HttpProblem(400, 'the upload needs a courseId field', [{ path: 'body/courseId', message: 'required' }]));
      call?.end();
    });
    req.on('aborted', () => fail(new HttpProblem(400, 'the request was aborted')));
    req.pipe(form);
  });
}
