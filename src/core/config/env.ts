import { z } from 'zod';

/**
 * Shared zod helpers for environment variables.
 *
 * Environment variables are always strings; these helpers turn them into typed
 * values and give every rejection a message a person can act on.
 */

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** A boolean variable: accepts true/false, 1/0, yes/no, on/off (case-insensitive). */
export const envBoolean = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((value) => TRUE.has(value) || FALSE.has(value), {
      message: 'must be one of true, false, 1, 0, yes, no, on, off',
    })
    .transform((value) => TRUE.has(value));

/** An integer variable within [min, max]. */
export const envInt = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, { message: 'must be an integer' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** A number (integer or decimal) within [min, max]. */
export const envNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, { message: 'must be a number' })
    .transform(Number)
    .pipe(z.number().min(min).max(max));

/** A comma-separated list; blanks are dropped. */
export const envList = () =>
  z.string().transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

/** A key prefix for Redis (`service:env:cache:`): 1-100 letters, digits, `.`, `_`, `:` or `-`. */
export const envKeyPrefix = () =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, { message: 'must be 1-100 letters, digits, ".", "_", ":" or "-"' });
