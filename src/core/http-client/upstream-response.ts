import type { IncomingHttpHeaders } from 'node:http';

/** What an upstream answered (any status below 500 but 429: 5xx and 429 throw an `UpstreamError` instead). */
export interface UpstreamResponse<Body = unknown> {
  /** The HTTP status code. */
  status: number;
  /** Response headers, lower-case names. */
  headers: IncomingHttpHeaders;
  /**
   * The body: parsed JSON when the `Content-Type` is JSON (`application/json`,
   * `…+json`), else the text; `undefined` when empty.
   */
  body: Body;
}

/** One call's options. */
export interface UpstreamRequestOptions {
  /** Query parameters, appended to the path. */
  query?: Record<string, string | number | boolean | undefined>;
  /** Request headers. An `Idempotency-Key` header makes a POST or PATCH retryable. */
  headers?: Record<string, string>;
  /** A body: a string or Buffer is sent as is, anything else as JSON (`Content-Type: application/json`). */
  body?: unknown;
  /**
   * Aborts the call (and its retries); default: the signal of the request
   * being served (`currentRequestContext()`), so an abandoned request stops its calls.
   */
  signal?: AbortSignal;
}
