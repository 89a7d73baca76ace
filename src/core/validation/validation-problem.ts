import type { ValidationError } from 'class-validator';
import type { FieldError } from '../errors/problem-details';
import { PROBLEM_TYPES } from '../errors/problem-details';
import { ProblemException } from '../errors/problem.exception';
import { describeFieldErrors, toFieldErrors } from './field-errors';

/** Carries class-validator's errors out of a `ValidationPipe`'s factory until the location is known. */
export class PendingValidationErrors extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('validation failed');
  }
}

/**
 * The 400 problem for invalid input: every field error, where it is
 * (`location`), as a JSON Pointer into `input` (what was validated).
 */
export function validationProblem(errors: ValidationError[], location: FieldError['location'], input: unknown): ProblemException {
  const fieldErrors = toFieldErrors(errors, location, '#', input);
  return new ProblemException({
    status: 400,
    type: PROBLEM_TYPES.validation,
    title: 'Request validation failed',
    detail: describeFieldErrors(fieldErrors),
    errors: fieldErrors,
  });
}
