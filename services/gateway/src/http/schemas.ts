import { z } from 'zod';

/** Ids are 24-character hexadecimal strings (MongoDB ObjectIds); anything else is a 400. */
export const objectId = () =>
  z
    .string()
    .regex(/^[0-9a-fA-F]{24}$/, 'must be a 24-character hexadecimal id')
    .transform((id) => id.toLowerCase())
    .openapi({ example: '665f1c2ab8d4e6a1f0c3b2a1', pattern: '^[0-9a-fA-F]{24}$' });

/** `limit` (1..100, default 20) and an opaque `cursor`, on every list. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ description: 'Page size, 1..100 (default 20)' }),
  cursor: z.string().max(200).optional().openapi({ description: 'The `nextCursor` of the previous page' }),
};

export const listOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
