import { z } from 'zod';

/**
 * The platform's ids are MongoDB ObjectIds, written as 24 hexadecimal
 * characters. The wire takes either case; what is stored and compared is
 * lower case (one user, one balance). Anything else in an id's place is a bad
 * request, said in these words.
 */
export const OBJECT_ID_PATTERN = /^[0-9a-fA-F]{24}$/;
export const NOT_AN_ID = 'must be a 24-character hexadecimal id';

/** An id as a caller may write it: either case. */
export const isObjectIdText = (value: string): boolean => OBJECT_ID_PATTERN.test(value);

/** An id as the platform stores it: lower case. */
export const isCanonicalId = (value: string): boolean => isObjectIdText(value) && value === value.toLowerCase();

/** An id from the wire, lower-cased. */
export const objectIdText = () =>
  z
    .string()
    .regex(OBJECT_ID_PATTERN, NOT_AN_ID)
    .transform((id) => id.toLowerCase());

/** An id that must already be stored lower case (inside a credential the platform signed itself). */
export const canonicalIdText = () => z.string().refine(isCanonicalId, NOT_AN_ID);
