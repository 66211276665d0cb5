/** One page of a list and the cursor of the next ('' after the last). */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string;
}
