import { OBJECT_ID_PATTERN, objectIdText } from '@testmancer/shared';
import { z } from 'zod';

/** Ids are 24-character hexadecimal strings (MongoDB ObjectIds); anything else is a 400. */
export const objectId = () => objectIdText().openapi({ example: '665f1c2ab8d4e6a1f0c3b2a1', pattern: OBJECT_ID_PATTERN.source });

/** `limit` (1..100, default 20) and an opaque `cursor`, on every list. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ description: 'Page size, 1..100 (default 20)' }),
  cursor: z.string().max(200).optional().openapi({ description: 'The `nextCursor` of the previous page' }),
};

export const listOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
