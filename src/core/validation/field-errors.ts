import type { ValidationError } from 'class-validator';
import type { FieldError } from '../errors/problem-details';

/**
 * Flattens class-validator's error tree into field errors with JSON Pointers
 * (RFC 6901): `{ tags: [ , { name } ] }` → `#/tags/1/name`.
 *
 * With `input` (what was validated: the body, the query object), a field
 * absent from it gets one error, `<field> is required`, rather than every
 * rule it would have broken (`must be a string`, `must be longer than…`).
 * A field sent as `null` is present: its rules' messages stand.
 */
export function toFieldErrors(errors: ValidationError[], location: FieldError['location'], prefix = '#', input?: unknown): FieldError[] {
  return errors.flatMap((error) => {
    const pointer = `${prefix}/${escapePointer(error.property)}`;
    const container = isObject(input) ? input : undefined;
    const missing = container !== undefined && container[error.property] === undefined;
    if (missing && error.constraints !== undefined) return [{ location, pointer, detail: `${error.property} is required` }];
    const own = Object.values(error.constraints ?? {}).map((detail) => ({ location, pointer, detail }));
    return [...own, ...toFieldErrors(error.children ?? [], location, pointer, container?.[error.property])];
  });
}

/** `"2 invalid fields: body #/name, body #/currency"`: each field counted once, however many rules it broke. */
export function describeFieldErrors(errors: FieldError[]): string {
  const fields = [...new Set(errors.map((e) => `${e.location} ${e.pointer}`))];
  return `${fields.length} invalid field${fields.length === 1 ? '' : 's'}: ${fields.join(', ')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
