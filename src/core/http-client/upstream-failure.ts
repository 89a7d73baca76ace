import {
  UpstreamBadGatewayError,
  type UpstreamError,
  type UpstreamFailure,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../errors/upstream-errors';

/** undici and socket error codes of a connection that could not be opened or was lost. */
const CONNECTION_FAILURES: Record<string, UpstreamFailure> = {
  ECONNREFUSED: 'connection-refused',
  EHOSTUNREACH: 'connection-refused',
  ENETUNREACH: 'connection-refused',
  ENOTFOUND: 'connection-refused',
  EAI_AGAIN: 'connection-refused',
  ECONNRESET: 'connection-reset',
  EPIPE: 'connection-reset',
  UND_ERR_SOCKET: 'connection-reset',
  UND_ERR_CLOSED: 'connection-reset',
  UND_ERR_CONNECT_TIMEOUT: 'connect-timeout',
  ETIMEDOUT: 'connect-timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
};

/** Statuses worth another attempt (RFC 9110 §15.6.3-§15.6.5, RFC 6585 §4). */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** The error an upstream's 5xx or 429 answer (after the retries) becomes. */
export function statusFailure(upstream: string, status: number): UpstreamError {
  if (status === 503 || status === 429) return new UpstreamUnavailableError(upstream, 'unavailable', status);
  if (status === 504) return new UpstreamTimeoutError(upstream, 'bad-status', status);
  return new UpstreamBadGatewayError(upstream, 'bad-status', status);
}

/** The error a transport failure (no usable answer) becomes; unknown errors are a bad response (502). */
export function transportFailure(upstream: string, error: unknown): UpstreamError {
  const failure = CONNECTION_FAILURES[codeOf(error)] ?? 'bad-response';
  if (failure === 'timeout' || failure === 'connect-timeout')
    return new UpstreamTimeoutError(upstream, failure, undefined, { cause: error });
  return new UpstreamBadGatewayError(upstream, failure, undefined, { cause: error });
}

/** Whether another attempt may succeed: connection failures, and 429/502/503/504 answers; never a total timeout or a bad body. */
export function isRetryable(error: UpstreamError): boolean {
  if (error.upstreamStatus !== undefined) return RETRYABLE_STATUSES.has(error.upstreamStatus);
  return error.failure === 'connection-refused' || error.failure === 'connection-reset' || error.failure === 'connect-timeout';
}

/** Whether an answer's status counts as a failure of the upstream (5xx, and 429 as it asks us to back off). */
export function isFailureStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

function codeOf(error: unknown): string {
  for (let candidate = error, depth = 0; depth < 3 && typeof candidate === 'object' && candidate !== null; depth++) {
    const code = (candidate as { code?: unknown }).code;
    if (typeof code === 'string' && code in CONNECTION_FAILURES) return code;
    candidate = (candidate as { cause?: unknown }).cause;
  }
  return '';
}
