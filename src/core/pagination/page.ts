/** One page of a list, with the total across all pages. */
export interface Page<T> {
  items: T[];
  /** Number of items matching the query, across all pages. */
  total: number;
  limit: number;
  offset: number;
}
