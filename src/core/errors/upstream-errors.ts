import { PROBLEM_TYPES } from './problem-details';

/** Why an outbound call failed, as logs and the outage counter name it. */
export type UpstreamFailure =
  | 'connection-refused'
  | 'connection-reset'
  | 'connect-timeout'
  | 'timeout'
  | 'bad-response'
  | 'response-too-large'
  | 'bad-status'
  | 'unavailable'
  | 'circuit-open';

/**
 * An outbound call to a named upstream (`UPSTREAM_<NAME>_URL`) failed after
 * its retries (docs/outbound-http.md). The chassis answers the client with
 * the subclass's status (502, 503 or 504) and a problem+json body that never
 * names the upstream or its URL; the upstream, the cause and the upstream's
 * status go to the log only. A feature may catch these to fall back.
 */
export abstract class UpstreamError extends Error {
  /** The HTTP status the client is answered with. */
  abstract readonly status: 502 | 503 | 504;
  /** The RFC 9457 problem type URI. */
  abstract readonly type: string;

  /**
   * @param upstream the upstream's name (logged, never sent to the client).
   * @param failure why the call failed.
   * @param upstreamStatus the upstream's last HTTP status, when it answered.
   */
  constructor(
    readonly upstream: string,
    readonly failure: UpstreamFailure,
    readonly upstreamStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(`upstream ${upstream}: ${failure}${upstreamStatus === undefined ? '' : ` (HTTP ${upstreamStatus})`}`, options);
    this.name = new.target.name;
  }
}

/** The upstream refused or dropped the connection, or answered with a 5xx or an unreadable body → 502. */
export class UpstreamBadGatewayError extends UpstreamError {
  readonly status = 502;
  readonly type = PROBLEM_TYPES.upstreamBadGateway;
}

/** The upstream's circuit is open, or it answered 503 or 429 until the retries ran out → 503. */
export class UpstreamUnavailableError extends UpstreamError {
  readonly status = 503;
  readonly type = PROBLEM_TYPES.upstreamUnavailable;
}

/** The connection or the answer did not come within its timeout, or the upstream answered 504 → 504. */
export class UpstreamTimeoutError extends UpstreamError {
  readonly status = 504;
  readonly type = PROBLEM_TYPES.upstreamTimeout;
}

/** The client-facing detail of each status: generic, so no upstream is named. */
export const UPSTREAM_PROBLEM_DETAILS: Record<UpstreamError['status'], string> = {
  502: 'A service this request depends on failed to answer properly; retry later.',
  503: 'A service this request depends on is unavailable; retry later.',
  504: 'A service this request depends on did not answer in time; retry later.',
};
