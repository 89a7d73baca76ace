import type { FieldError } from './problem-details';

/** What a {@link ProblemException} carries; every field but `status` is optional. */
export interface ProblemInit {
  status: number;
  type?: string;
  title?: string;
  detail?: string;
  errors?: FieldError[];
  /** Response headers to set, e.g. `Retry-After` or `WWW-Authenticate`. */
  headers?: Record<string, string>;
  /** Extra members merged into the problem body (RFC 9457 section 3.2). */
  extensions?: Record<string, unknown>;
}

/**
 * An error that already knows its problem+json response. Chassis layers
 * (validation, auth, rate limiting) throw it; the exception filter renders it
 * as given. Feature code should prefer the domain errors.
 */
export class ProblemException extends Error {
  constructor(readonly problem: ProblemInit) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ProblemException';
  }
}
