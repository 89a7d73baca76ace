/**
 * Thrown by database work a request asks for after it was abandoned: its
 * deadline passed (`REQUEST_TIMEOUT_SECONDS`, the client already has its 503),
 * its client went away, or the shutdown aborted it (`src/core/database/abandoned-queries.ts`).
 *
 * Named `AbortError` with code `ABORT_ERR`, like the errors `fetch` and Node
 * streams throw on an aborted signal, so a hang-up is recognised as one
 * (`isClientGone`); anything else maps to the request-timeout 503, never a 500.
 */
export class RequestAbandonedError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';

  /**
   * @param reason the request signal's `reason` (Fastify's handler-timeout error, or an AbortError when the client went away).
   * @param cause the driver's error, when a query in flight was cancelled.
   */
  constructor(
    readonly reason: unknown,
    cause?: unknown,
  ) {
    super(
      'The request was abandoned (deadline passed or client gone): its database work was stopped',
      cause === undefined ? undefined : { cause },
    );
  }
}
