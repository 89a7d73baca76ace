import type { ValidationError } from 'class-validator';
import type { FieldError } from '../errors/problem-details';

/**
 * Flattens class-validator's error tree into field errors with JSON Pointers
 * (RFC 6901): `{ tags: [ , { name } ] }` → `#/tags/1/name`.
 */
export function toFieldErrors(errors: ValidationError[], location: FieldError['location'], prefix = '#'): FieldError[] {
  return errors.flatMap((error) => {
    const pointer = `${prefix}/${escapePointer(error.property)}`;
    const own = Object.values(error.constraints ?? {}).map((detail) => ({ location, pointer, detail }));
    return [...own, ...toFieldErrors(error.children ?? [], location, pointer)];
  });
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
