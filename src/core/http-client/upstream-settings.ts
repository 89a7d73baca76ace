/** How much an upstream counts for readiness (`UPSTREAM_<NAME>_READINESS`). */
export type UpstreamReadiness = 'none' | 'non-critical' | 'critical';

/** One named upstream's settings, from `UPSTREAM_<NAME>_*` over the `HTTP_CLIENT_*` defaults. */
export interface UpstreamSettings {
  /** The lower-case name features ask for (`UPSTREAM_BILLING_URL` → `billing`). */
  readonly name: string;
  /** Base URL (`http:` or `https:`); a request's path is appended to its path. */
  readonly url: URL;
  /** Seconds to open a connection. */
  readonly connectTimeoutSeconds: number;
  /** Seconds one attempt may take, from sending to the last byte of the answer's body (a stream: to its headers). */
  readonly timeoutSeconds: number;
  /** Largest answer body read into memory, in bytes (a stream's body: no limit). */
  readonly maxResponseBytes: number;
  /** Retries after the first attempt (retryable requests only). */
  readonly retries: number;
  /** Most connections open at a time. */
  readonly connections: number;
  /** Consecutive failed attempts that open the circuit. */
  readonly circuitBreakerFailures: number;
  /** Seconds an open circuit fails calls at once before a probe. */
  readonly circuitBreakerHalfOpenAfterSeconds: number;
  /** Whether readiness checks the upstream, and whether it failing makes the service not ready. */
  readonly readiness: UpstreamReadiness;
  /** Path the readiness check sends a `GET` to, appended to the URL's path. */
  readonly readinessPath: string;
}
