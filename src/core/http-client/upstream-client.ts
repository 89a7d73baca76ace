import type { Readable } from 'node:stream';
import type { Logger } from '@nestjs/common';
import type { Histogram } from 'prom-client';
import type { Dispatcher, Pool } from 'undici';
import type { DependencyBreaker } from '../circuit-breaker/dependency-breaker';
import { CircuitOpenError } from '../circuit-breaker/circuit-open.error';
import { currentRequestContext, type RequestContext } from '../context/request-context';
import { CORRELATION_ID_HEADER } from '../context/correlation-id';
import { REQUEST_ID_HEADER } from '../context/request-id';
import { UpstreamBadGatewayError, UpstreamError, UpstreamTimeoutError, UpstreamUnavailableError } from '../errors/upstream-errors';
import type { ServerSentEvent } from '../streaming/server-sent-event';
import { abortEmitterOf } from './abort-emitter';
import { NO_STATUS } from './http-client.metrics';
import { retryAfterMs } from './retry-after';
import { RETRY_AFTER_MS } from './retry-after-backoff';
import { BodyDeadlines, type Watched } from './body-deadlines';
import { readEventStream } from './read-event-stream';
import type { UpstreamPolicies } from './upstream-policies';
import type { UpstreamRequestOptions, UpstreamResponse } from './upstream-response';
import type { UpstreamSettings } from './upstream-settings';
import { isFailureStatus, statusFailure, transportFailure } from './upstream-failure';

/** HTTP methods the client sends. */
export type UpstreamMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Idempotent methods (RFC 9110 §9.2.2): retried after a retryable failure. POST and PATCH only with an `Idempotency-Key`. */
const IDEMPOTENT = new Set<UpstreamMethod>(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** What the client needs besides its settings; built by `UpstreamClients`. */
export interface UpstreamClientParts {
  /** The calls' pool: its `maxResponseSize` is the upstream's `maxResponseBytes`. */
  pool: Pool;
  /** The streams' pool: no bound on a body. */
  streamPool: Pool;
  breaker: DependencyBreaker;
  policies: UpstreamPolicies;
  duration: Histogram<'upstream' | 'method' | 'status_code'>;
  logger: Pick<Logger, 'warn'>;
}

type Mode = 'buffer' | 'stream';

/** The bodies being read by every upstream client of the process, and their deadlines. */
const BODY_DEADLINES = new BodyDeadlines();
type Observer = { observe(seconds: number): void };
type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: unknown };
/** What one call sends, the same for each of its attempts. */
type Dispatch = Dispatcher.RequestOptions & { method: UpstreamMethod; path: string };

/** undici's error for a body past its pool's `maxResponseSize` (checked by code: undici is loaded lazily). */
const RESPONSE_TOO_LARGE = 'UND_ERR_RES_EXCEEDED_MAX_SIZE';

/**
 * The client of one named upstream (`UPSTREAM_<NAME>_URL`,
 * docs/outbound-http.md), injected with `@InjectUpstream('<name>')`.
 *
 * Each call: a bounded pool of connections to the upstream
 * (`_CONNECTIONS`), a connect timeout (`_CONNECT_TIMEOUT_SECONDS`), a
 * timeout per attempt (`_TIMEOUT_SECONDS`: from sending to the answer's last
 * byte), a bound on the answer's size (`_MAX_RESPONSE_BYTES`), the upstream's circuit breaker
 * (cockatiel, `dependency_circuit_state{dependency="upstream:<name>"}`), and
 * retries with jittered exponential back-off (or the upstream's
 * `Retry-After`, capped by `HTTP_CLIENT_RETRY_AFTER_MAX_SECONDS`) after a
 * connection failure or a 429/502/503/504 answer — for idempotent methods
 * and requests carrying an `Idempotency-Key` only. It sends the request's
 * `X-Correlation-ID` and `X-Request-ID`; `traceparent` and the client span
 * come from the chassis's tracing (OpenTelemetry's undici instrumentation).
 *
 * Answers below 500 (but 429) resolve, whatever their status: the feature
 * decides what a 404 means. Failures throw an {@link UpstreamError}
 * subclass the chassis answers as 502, 503 or 504 without naming the upstream.
 */
export class UpstreamClient {
  private readonly durations = new Map<string, Observer>();
  /** The URL's path without its trailing slash, prefixed to every request's path. */
  private readonly basePath: string;

  constructor(
    readonly settings: UpstreamSettings,
    private readonly parts: UpstreamClientParts,
  ) {
    this.basePath = settings.url.pathname.replace(/\/$/, '');
  }

  /** The upstream's name (`billing` for `UPSTREAM_BILLING_URL`). */
  get name(): string {
    return this.settings.name;
  }

  /** `GET path`. @throws UpstreamError (502, 503, 504) when the upstream fails. */
  get<Body = unknown>(path: string, options?: UpstreamRequestOptions): Promise<UpstreamResponse<Body>> {
    return this.request<Body>('GET', path, options);
  }

  /** `POST path`; retried only with an `Idempotency-Key` header. @throws UpstreamError */
  post<Body = unknown>(path: string, body?: unknown, options?: UpstreamRequestOptions): Promise<UpstreamResponse<Body>> {
    return this.request<Body>('POST', path, { ...options, body });
  }

  /** `PUT path`. @throws UpstreamError */
  put<Body = unknown>(path: string, body?: unknown, options?: UpstreamRequestOptions): Promise<UpstreamResponse<Body>> {
    return this.request<Body>('PUT', path, { ...options, body });
  }

  /** `PATCH path`; retried only with an `Idempotency-Key` header. @throws UpstreamError */
  patch<Body = unknown>(path: string, body?: unknown, options?: UpstreamRequestOptions): Promise<UpstreamResponse<Body>> {
    return this.request<Body>('PATCH', path, { ...options, body });
  }

  /** `DELETE path`. @throws UpstreamError */
  delete<Body = unknown>(path: string, options?: UpstreamRequestOptions): Promise<UpstreamResponse<Body>> {
    return this.request<Body>('DELETE', path, options);
  }

  /**
   * Sends `method path` (the path is appended to the upstream URL's path) and
   * reads the whole answer, within the timeout (from sending to its last byte) and the size bound.
   * @throws UpstreamError 502 (refused, reset, 5xx, unreadable or too large a body), 503 (circuit open, 503/429), 504 (timeouts, 504).
   * @throws the signal's reason when `options.signal` (or the request's) aborts.
   */
  request<Body = unknown>(method: UpstreamMethod, path: string, options: UpstreamRequestOptions = {}): Promise<UpstreamResponse<Body>> {
    return this.call(method, path, options, 'buffer') as Promise<UpstreamResponse<Body>>;
  }

  /**
   * Opens an upstream `text/event-stream` (`GET` unless `options.method`)
   * and resolves once its headers arrived (within the timeout); the events
   * are then read as the consumer pulls them, never faster (the socket is
   * paused between pulls), parsed with `eventsource-parser`. Breaking out of
   * the loop, `return()` on the iterator or aborting the signal closes the
   * upstream connection. The stream itself has no timeout: bound it with the signal.
   * @throws UpstreamError as {@link request}; 502 when the answer is not `text/event-stream`.
   */
  async stream(path: string, options: UpstreamRequestOptions & { method?: UpstreamMethod } = {}): Promise<AsyncIterable<ServerSentEvent>> {
    const headers = { accept: 'text/event-stream', ...options.headers };
    const answer = await this.call(options.method ?? 'GET', path, { ...options, headers }, 'stream');
    return readEventStream(answer.body as Readable, options.signal ?? currentRequestContext()?.signal);
  }

  /**
   * One `GET path` attempt for readiness: no retry, no failure log line (the
   * probe reports it), through the circuit breaker (an open circuit is "down").
   * @throws UpstreamError when the upstream fails.
   */
  async probe(path: string, signal?: AbortSignal): Promise<number> {
    const answer = await this.call('GET', path, { signal }, 'buffer', true);
    return answer.status;
  }

  /** Closes the pools: calls under way finish, new ones fail (called at shutdown). */
  async close(): Promise<void> {
    await Promise.all([this.parts.pool.close(), this.parts.streamPool.close()]);
  }

  private async call(method: UpstreamMethod, path: string, options: UpstreamRequestOptions, mode: Mode, probe = false): Promise<Answer> {
    const context = currentRequestContext();
    const signal = options.signal ?? context?.signal;
    const request = this.dispatchOptions(method, path, options, context, mode);
    if (signal) request.signal = abortEmitterOf(signal);
    const retryable = !probe && this.settings.retries > 0 && (IDEMPOTENT.has(method) || hasIdempotencyKey(options.headers));
    const started = performance.now();
    let attempts = 1;
    try {
      try {
        return await this.guardedAttempt(request, mode, signal);
      } catch (error) {
        if (!retryable) throw error;
        const again = () => {
          attempts += 1;
          return this.guardedAttempt(request, mode, signal);
        };
        return await this.retry(error, again, signal);
      }
    } catch (error) {
      // An open circuit is not retried (not an UpstreamError); the feature gets a 503.
      const failure =
        error instanceof CircuitOpenError ? new UpstreamUnavailableError(this.name, 'circuit-open', undefined, { cause: error }) : error;
      if (failure instanceof UpstreamError && !probe) this.logFailure(failure, method, request.path, attempts, started);
      throw failure;
    }
  }

  /**
   * The retries after a failed first attempt. cockatiel's retry policy decides
   * whether and when (back-off, `Retry-After`), given the first attempt's
   * failure as its own first attempt's, so a call that succeeds at once never
   * enters the policy (docs/performance.md#outbound-http-client).
   */
  private retry(firstFailure: unknown, again: () => Promise<Answer>, signal?: AbortSignal): Promise<Answer> {
    return this.parts.policies.retry.execute(({ attempt }) => (attempt === 0 ? Promise.reject(firstFailure) : again()), signal);
  }

  /** One attempt through the upstream's circuit breaker: an open circuit fails it at once ({@link CircuitOpenError}). */
  private guardedAttempt(request: Dispatch, mode: Mode, signal?: AbortSignal): Promise<Answer> {
    return this.parts.breaker.execute(() => this.attempt(request, mode, signal));
  }

  /**
   * One attempt. Its timeout is undici's `headersTimeout` for the answer's
   * headers (on undici's shared timer wheel: an AbortController and a timer
   * for the whole call cost more CPU than the rest of the client,
   * docs/performance.md#outbound-http-client), then the attempt's deadline
   * for the rest of the body ({@link watchBody}).
   * Every failure leaves it as an {@link UpstreamError}, but the caller's own abort.
   */
  private async attempt(request: Dispatch, mode: Mode, signal?: AbortSignal): Promise<Answer> {
    const started = performance.now();
    let status = NO_STATUS;
    const timeoutMs = this.settings.timeoutSeconds * 1000;
    try {
      signal?.throwIfAborted();
      const response = await (mode === 'stream' ? this.parts.streamPool : this.parts.pool).request(request);
      status = String(response.statusCode);
      if (isFailureStatus(response.statusCode)) {
        await response.body.dump();
        const failure = statusFailure(this.name, response.statusCode);
        const delay = retryAfterMs(response.headers['retry-after']);
        if (delay !== undefined) RETRY_AFTER_MS.set(failure, delay);
        throw failure;
      }
      if (mode === 'stream') return { status: response.statusCode, headers: response.headers, body: this.eventStreamBody(response) };
      const watched = this.watchBody(response, started + timeoutMs);
      try {
        const text = await response.body.text();
        return { status: response.statusCode, headers: response.headers, body: this.parsed(text, response) };
      } finally {
        BODY_DEADLINES.unwatch(watched);
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof UpstreamError) throw error;
      if ((error as { code?: unknown } | undefined)?.code === RESPONSE_TOO_LARGE) throw this.tooLarge(Number(status));
      throw transportFailure(this.name, error);
    } finally {
      this.durationOf(request.method, status).observe((performance.now() - started) / 1000);
    }
  }

  /** The histogram's child for one method and status, built once: labelling on every call hashes the labels each time. */
  private durationOf(method: string, status: string): Observer {
    const key = `${method} ${status}`;
    let child = this.durations.get(key);
    if (child === undefined) {
      child = this.parts.duration.labels({ upstream: this.name, method, status_code: status });
      this.durations.set(key, child);
    }
    return child;
  }

  private eventStreamBody(response: Dispatcher.ResponseData): Readable {
    const type = String(response.headers['content-type'] ?? '');
    if (response.statusCode >= 200 && response.statusCode < 300 && type.startsWith('text/event-stream')) return response.body;
    response.body
      .resume()
      .on('error', () => undefined)
      .destroy();
    throw new UpstreamBadGatewayError(this.name, 'bad-response', response.statusCode);
  }

  /** The body as the feature gets it: parsed when JSON, else the text; undefined when empty. */
  private parsed(text: string, response: Dispatcher.ResponseData): unknown {
    if (text === '') return undefined;
    const type = String(response.headers['content-type'] ?? '');
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) return text;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new UpstreamBadGatewayError(this.name, 'bad-response', response.statusCode, { cause: error });
    }
  }

  /**
   * Checks the answer's declared size, then puts its body under the attempt's
   * deadline (`performance.now()` milliseconds): a `Content-Length` past
   * `maxResponseBytes` fails at once as `response-too-large` (502; undici's
   * pool closes a longer body at the bound), a body still arriving at the
   * deadline fails as a `timeout` (504); either way its connection is closed.
   * A body trickling in would reset undici's per-read `bodyTimeout` for ever: the deadline bounds it.
   * @throws UpstreamBadGatewayError when the declared length is past the bound.
   */
  private watchBody({ body, headers, statusCode }: Dispatcher.ResponseData, deadline: number): Watched {
    if (Number(headers['content-length']) > this.settings.maxResponseBytes) throw abandon(body, this.tooLarge(statusCode));
    return BODY_DEADLINES.watch(deadline, () => void abandon(body, new UpstreamTimeoutError(this.name, 'timeout', statusCode)));
  }

  private tooLarge(statusCode: number): UpstreamError {
    return new UpstreamBadGatewayError(this.name, 'response-too-large', statusCode);
  }

  /** What every attempt of one call sends; its timeouts: undici's for the headers, none for a stream's body (the caller's signal bounds it). */
  private dispatchOptions(
    method: UpstreamMethod,
    path: string,
    options: UpstreamRequestOptions,
    context: RequestContext | undefined,
    mode: Mode,
  ): Dispatch {
    const headers = lowerCased(options.headers);
    if (context) {
      headers[CORRELATION_ID_HEADER] ??= context.correlationId;
      headers[REQUEST_ID_HEADER] ??= context.requestId;
    }
    let body: string | Buffer | undefined;
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) body = options.body;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const timeoutMs = this.settings.timeoutSeconds * 1000;
    return {
      method,
      path: this.pathOf(path, options.query),
      headers,
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: mode === 'stream' ? 0 : timeoutMs,
    };
  }

  private pathOf(path: string, query: UpstreamRequestOptions['query']): string {
    const joined = `${this.basePath}${path.startsWith('/') ? path : `/${path}`}`;
    if (query === undefined) return joined;
    const entries = Object.entries(query).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined);
    return entries.length === 0
      ? joined
      : `${joined}?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()}`;
  }

  /** One warning per failed call (after its retries): the upstream is named here, never in the client's answer. */
  private logFailure(error: UpstreamError, method: string, path: string, attempts: number, started: number): void {
    this.parts.logger.warn(
      {
        upstream: this.name,
        method,
        path: path.split('?')[0],
        failure: error.failure,
        upstreamStatus: error.upstreamStatus,
        error: error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : undefined,
        attempts,
        durationMs: Math.round(performance.now() - started),
      },
      `Upstream call failed: ${this.name} ${error.failure}`,
    );
  }
}

function hasIdempotencyKey(headers: Record<string, string> | undefined): boolean {
  return headers !== undefined && Object.keys(headers).some((name) => name.toLowerCase() === 'idempotency-key');
}

/** Closes `body` (and its connection) with `error`, which is the reader's answer: the destroyed body must not emit it unheard. */
function abandon(body: Readable, error: UpstreamError): UpstreamError {
  body.on('error', () => undefined).destroy(error);
  return error;
}

function lowerCased(headers: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (headers === undefined) return result;
  for (const name of Object.keys(headers)) result[name.toLowerCase()] = headers[name];
  return result;
}
