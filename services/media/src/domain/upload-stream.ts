import { invalid, isObjectIdText } from '@testmancer/shared';
import type { Caller } from '@testmancer/shared';

/** What an upload stream carries, decoded from its messages. */
export type UploadPart =
  | {
      readonly type: 'metadata';
      readonly caller: Caller;
      /** Empty when the course id arrives later in the stream. */
      readonly courseId: string;
      readonly filename: string;
      readonly contentType: string;
      /** 0 when the sender did not announce a size. */
      readonly declaredSize: number;
    }
  | { readonly type: 'chunk'; readonly bytes: Buffer }
  | { readonly type: 'course'; readonly courseId: string };

export type UploadMetadata = Extract<UploadPart, { type: 'metadata' }>;

export function requireCourseId(courseId: string): string {
  const id = courseId.toLowerCase();
  if (!isObjectIdText(id)) throw invalid('courseId must be a 24-character hexadecimal id', [{ path: 'courseId', message: 'not an id' }]);
  return id;
}

/** The stream's first part, which must be the metadata. */
export function requireMetadata(first: UploadPart | undefined): UploadMetadata {
  if (first?.type !== 'metadata') throw invalid('an upload starts with its metadata');
  if (!Number.isSafeInteger(first.declaredSize) || first.declaredSize < 0) throw invalid('the declared size must be a number of bytes');
  return first;
}
