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
