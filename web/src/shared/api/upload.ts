import { bearer, type Schemas } from './client';
import { ApiError, type Problem } from './errors';
import { readConfig } from '../config';

export type UploadedAsset = Schemas['MediaAsset'];

/**
 * POST /api/media with upload progress. fetch() reports no upload progress, so
 * this one operation goes through XMLHttpRequest; its path, fields and answer
 * are the generated client's (`MediaAsset`), and its errors are ApiErrors.
 */
export function uploadMedia(
  courseId: string,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<UploadedAsset> {
  return bearer().then((token) => send(courseId, file, token, onProgress, signal));
}

function send(
  courseId: string,
  file: File,
  token: string | undefined,
  onProgress: (fraction: number) => void,
  signal: AbortSignal | undefined,
): Promise<UploadedAsset> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${readConfig().apiOrigin}/api/media`);
    if (token) request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status === 201) {
        onProgress(1);
        resolve(request.response as UploadedAsset);
      } else reject(new ApiError(request.status, (request.response ?? undefined) as Problem | undefined));
    };
    request.onerror = () => reject(ApiError.unreachable(new Error('network error')));
    request.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    const form = new FormData();
    form.append('courseId', courseId); // before the file: the gateway knows the course before the first byte
    form.append('file', file, file.name);
    request.send(form);
  });
}
