import { PROBLEM_TYPES } from './problem-details';

/**
 * Errors feature services throw instead of HTTP exceptions. Services stay
 * free of HTTP types; the chassis's exception filter maps each class to its
 * status and a problem+json response. `message` is sent as the problem's
 * `detail`, so write it for the API's client.
 */
export abstract class DomainError extends Error {
  /** The HTTP status this error maps to. */
  abstract readonly status: number;
  /** The RFC 9457 problem type URI. */
  abstract readonly type: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing asked for does not exist (or the caller may not know it exists) → 404. */
export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly type = PROBLEM_TYPES.notFound;
}

/** The request conflicts with the current state, e.g. a duplicate name → 409. */
export class ConflictError extends DomainError {
  readonly status = 409;
  readonly type = PROBLEM_TYPES.conflict;
}

/** The caller is known but not allowed to do this → 403. */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly type = PROBLEM_TYPES.forbidden;
}

/** The input is well-formed but breaks a business rule → 422. */
export class BusinessRuleError extends DomainError {
  readonly status = 422;
  readonly type = PROBLEM_TYPES.businessRule;
}

/**
 * The resource changed since the client read it: its `If-Match` names a
 * version that is no longer current (RFC 9110 §13.1.1, §15.5.13) → 412.
 * The client reads the resource again and redoes its change.
 */
export class PreconditionFailedError extends DomainError {
  readonly status = 412;
  readonly type = PROBLEM_TYPES.preconditionFailed;
}
