import type { RetryPolicy } from 'cockatiel';
import { UpstreamError } from '../errors/upstream-errors';
import { RETRY_AFTER_MS, RetryAfterBackoff } from './retry-after-backoff';
import type { UpstreamSettings } from './upstream-settings';
import { isRetryable } from './upstream-failure';

/** First back-off delay and its ceiling, in milliseconds (docs/outbound-http.md#retries). */
export const BACKOFF_INITIAL_DELAY_MS = 100;
export const BACKOFF_MAX_DELAY_MS = 2000;

/** One upstream's cockatiel policies (docs/adr/0018-outbound-http-client.md). */
export interface UpstreamPolicies {
  /** Retries of a retryable failure, `_RETRIES` times at most. The breaker is the chassis's `DependencyBreaker`; timeouts are undici's. */
  retry: RetryPolicy;
}

type Cockatiel = typeof import('cockatiel');

/** cockatiel, required only when an upstream is configured (like the dependency breakers: it costs cold starts). */
function loadCockatiel(): Cockatiel {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('cockatiel') as Cockatiel;
}

/**
 * Builds the policies of `settings`: retry on what {@link isRetryable}
 * accepts, unless the upstream asked (`Retry-After`) for longer than
 * `retryAfterMaxSeconds`; jittered exponential back-off (cockatiel's
 * decorrelated jitter) or the `Retry-After` delay between attempts.
 */
export function createUpstreamPolicies(settings: UpstreamSettings, retryAfterMaxSeconds: number): UpstreamPolicies {
  const { retry, handleWhen, ExponentialBackoff } = loadCockatiel();
  const capMs = retryAfterMaxSeconds * 1000;
  const worthRetrying = (error: unknown) =>
    error instanceof UpstreamError && isRetryable(error) && (RETRY_AFTER_MS.get(error) ?? 0) <= capMs;
  return {
    retry: retry(handleWhen(worthRetrying), {
      maxAttempts: settings.retries,
      backoff: new RetryAfterBackoff(new ExponentialBackoff({ initialDelay: BACKOFF_INITIAL_DELAY_MS, maxDelay: BACKOFF_MAX_DELAY_MS })),
    }),
  };
}
