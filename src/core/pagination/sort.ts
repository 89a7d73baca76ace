/**
 * Parses an allow-listed sort key: `name` is ascending, `-name` descending.
 * Validate the raw value with `@IsIn(sortValues(FIELDS))` first; this only
 * turns it into a TypeORM `order` object.
 */
export function toOrder<F extends string>(sort: string): Record<F, 'ASC' | 'DESC'> {
  const descending = sort.startsWith('-');
  const field = (descending ? sort.slice(1) : sort) as F;
  return { [field]: descending ? 'DESC' : 'ASC' } as Record<F, 'ASC' | 'DESC'>;
}

/** Every accepted value of a `sort` parameter for these fields: `f` and `-f` for each. */
export function sortValues<F extends string>(fields: readonly F[]): string[] {
  return fields.flatMap((field) => [field, `-${field}`]);
}
