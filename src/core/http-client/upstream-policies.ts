import type { RetryPolicy, TimeoutPolicy } from 'cockatiel';
import { UpstreamError } from '../errors/upstream-errors';
import { RETRY_AFTER_MS, RetryAfterBackoff } from './retry-after-backoff';
import type { UpstreamSettings } from './upstream-settings';
import { isRetryable } from './upstream-failure';

/** First back-off delay and its ceiling, in milliseconds (docs/outbound-http.md#retries). */
export const BACKOFF_INITIAL_DELAY_MS = 100;
export const BACKOFF_MAX_DELAY_MS = 2000;

/** One upstream's cockatiel policies (docs/adr/0018-outbound-http-client.md). */
export interface UpstreamPolicies {
  /** Retries of a retryable failure, `_RETRIES` times at most. */
  retry: RetryPolicy;
  /** One attempt's whole time (`_TIMEOUT_SECONDS`), its signal aborted once the attempt ends. */
  timeout: TimeoutPolicy;
  /** A stream's time to its headers (`_TIMEOUT_SECONDS`); the stream goes on after it. */
  headersTimeout: TimeoutPolicy;
  /** Whether `error` is a timeout policy's (cockatiel's `TaskCancelledError`). */
  isTimeout: (error: unknown) => boolean;
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
  const { retry, handleWhen, ExponentialBackoff, timeout, TimeoutStrategy, TaskCancelledError } = loadCockatiel();
  const capMs = retryAfterMaxSeconds * 1000;
  const worthRetrying = (error: unknown) =>
    error instanceof UpstreamError && isRetryable(error) && (RETRY_AFTER_MS.get(error) ?? 0) <= capMs;
  const timeoutMs = settings.timeoutSeconds * 1000;
  return {
    retry: retry(handleWhen(worthRetrying), {
      maxAttempts: settings.retries,
      backoff: new RetryAfterBackoff(new ExponentialBackoff({ initialDelay: BACKOFF_INITIAL_DELAY_MS, maxDelay: BACKOFF_MAX_DELAY_MS })),
    }),
    timeout: timeout(timeoutMs, TimeoutStrategy.Aggressive),
    headersTimeout: timeout(timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }),
    isTimeout: (error) => error instanceof TaskCancelledError,
  };
}
