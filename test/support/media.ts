import { mp4, png } from '@testmancer/testing';
import { api, type ApiResponse, type TestUser } from './api';

export { mp4, png };

export interface UploadOptions {
  filename?: string;
  type?: string;
  /** Send `courseId` after the file (the gateway takes both orders). */
  courseIdLast?: boolean;
  /** Leave out the courseId field. */
  noCourseId?: boolean;
}

/** A form holding only the file (the course then goes in the query). */
export function formWith(bytes: Buffer, filename: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([bytes]), filename);
  return form;
}

/** `POST /api/media` as a browser's FormData sends it. */
export function upload(as: TestUser | undefined, courseId: string, bytes: Buffer, options: UploadOptions = {}): Promise<ApiResponse> {
  const form = new FormData();
  const file = new Blob([bytes], { type: options.type ?? 'application/octet-stream' });
  if (!options.courseIdLast && !options.noCourseId) form.append('courseId', courseId);
  form.append('file', file, options.filename ?? 'picture.png');
  if (options.courseIdLast && !options.noCourseId) form.append('courseId', courseId);
  return api('POST', '/api/media', { as, formData: form });
}

/** An uploaded image of the course, for pages that need one. */
export async function newImage(as: TestUser, courseId: string, width = 64, height = 32): Promise<{ id: string; url: string }> {
  const res = await upload(as, courseId, png(width, height), { type: 'image/png' });
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${res.text}`);
  return res.body;
}

export async function newVideo(as: TestUser, courseId: string): Promise<{ id: string; url: string }> {
  const res = await upload(as, courseId, mp4(2048), { filename: 'clip.mp4', type: 'video/mp4' });
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${res.text}`);
  return res.body;
}
