import type { ValidationError } from 'class-validator';
import { PROBLEM_TYPES } from '../errors/problem-details';
import { ProblemException } from '../errors/problem.exception';
import { describeFieldErrors, toFieldErrors } from '../validation/field-errors';

/**
 * A job payload that does not validate against its queue's DTO. Thrown by
 * `JobQueue.add()`: inside a request it is a 400 validation problem listing
 * the fields (a payload is usually built from the request's body, so the
 * fields are reported with location `body`). When a stored payload fails
 * validation at processing time, the job fails without retry.
 */
export class InvalidJobPayloadError extends ProblemException {
  constructor(
    readonly queue: string,
    errors: ValidationError[],
    input: unknown,
  ) {
    const fieldErrors = toFieldErrors(errors, 'body', '#', input);
    super({
      status: 400,
      type: PROBLEM_TYPES.validation,
      title: 'Request validation failed',
      detail: `invalid payload for queue "${queue}": ${describeFieldErrors(fieldErrors)}`,
      errors: fieldErrors,
    });
    this.name = 'InvalidJobPayloadError';
  }
}
