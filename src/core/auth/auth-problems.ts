import { PROBLEM_TYPES } from '../errors/problem-details';
import { ProblemException } from '../errors/problem.exception';

/**
 * The problems the authentication guard answers with. Bodies are RFC 9457;
 * the `WWW-Authenticate` values follow RFC 6750 section 3: no error code
 * when the request carried no bearer token, `invalid_token` when one was
 * presented and refused, `insufficient_scope` when scopes are missing.
 */

/** 401: no bearer token (no Authorization header, or another scheme). */
export function missingTokenProblem(): ProblemException {
  return new ProblemException({
    status: 401,
    type: PROBLEM_TYPES.unauthorized,
    detail: 'This resource requires a bearer token (Authorization: Bearer <token>).',
    headers: { 'WWW-Authenticate': 'Bearer' },
  });
}

/** 401: a token was presented and refused. Why is logged, never sent. */
export function invalidTokenProblem(): ProblemException {
  return new ProblemException({
    status: 401,
    type: PROBLEM_TYPES.unauthorized,
    detail: 'The bearer token is invalid or has expired.',
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });
}

/** 403: authenticated, but scopes or roles are missing; names them. */
export function insufficientPermissionsProblem(missingScopes: string[], missingRoles: string[]): ProblemException {
  const missing = [
    ...(missingScopes.length ? [`scopes ${missingScopes.join(', ')}`] : []),
    ...(missingRoles.length ? [`roles ${missingRoles.join(', ')}`] : []),
  ];
  const headers: Record<string, string> = missingScopes.length
    ? { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${missingScopes.join(' ')}"` }
    : {};
  return new ProblemException({
    status: 403,
    type: PROBLEM_TYPES.forbidden,
    detail: `The bearer token lacks the required ${missing.join(' and ')}.`,
    headers,
    extensions: {
      ...(missingScopes.length ? { missingScopes } : {}),
      ...(missingRoles.length ? { missingRoles } : {}),
    },
  });
}

/** 503: keys cannot be obtained from the identity provider right now. */
export function keysUnavailableProblem(retryAfterSeconds: number): ProblemException {
  return new ProblemException({
    status: 503,
    type: PROBLEM_TYPES.authenticationUnavailable,
    detail: 'Bearer tokens cannot be verified right now: the signing keys are unavailable. Retry later.',
    headers: { 'Retry-After': String(Math.max(1, retryAfterSeconds)) },
  });
}

/**
 * 401: tenancy is on and the token names no valid tenant (docs/tenancy.md):
 * the claim is missing, empty, not a string or not a well-formed tenant id.
 * Names the claim, so the identity provider's set-up can be fixed.
 */
export function missingTenantProblem(claim: string): ProblemException {
  return new ProblemException({
    status: 401,
    type: PROBLEM_TYPES.unauthorized,
    detail: `The bearer token names no valid tenant: claim "${claim}" is missing, empty or malformed.`,
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    extensions: { missingClaim: claim },
  });
}

/** 401: a token allowed to name its tenant in a header sent one that is not a well-formed tenant id. */
export function invalidTenantHeaderProblem(header: string): ProblemException {
  return new ProblemException({
    status: 401,
    type: PROBLEM_TYPES.unauthorized,
    detail: `The ${header} header does not name a valid tenant (1-128 characters of A-Z a-z 0-9 . _ : -).`,
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });
}
