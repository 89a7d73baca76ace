import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { abortRequestSignal, holdSignalUntilResponse } from './request-signal';
import type { RequestContext } from './request-context';

/**
 * The {@link RequestContext} the request-context hook enters for each request.
 *
 * It holds the request only while the request is being served, and reads the
 * abort signal only when asked:
 *
 * - **Released at the end.** AsyncLocalStorage (async_hooks on Node 20) copies
 *   the context onto every async resource the request creates. Some of them,
 *   the socket writes' wrappers among them, stay reachable for young-generation
 *   collections until the next full collection; a context that still pointed at
 *   the request kept whole request graphs alive that long, promoted to the old
 *   generation (see docs/performance.md). `release()` drops the request when
 *   the response is finished or the client has gone.
 * - **Lazy signal.** Node creates an `AbortController`'s signal on first
 *   access, at a cost, so the signal is read from the request only when
 *   someone asks for it.
 */
export class ServedRequestContext implements RequestContext {
  private request: FastifyRequest | undefined;
  private response: ServerResponse | undefined;
  private abortSignal: AbortSignal | undefined;
  /** Set by the authentication guard once the request's tenant is known (tenancy on, docs/tenancy.md). */
  tenantId: string | undefined = undefined;
  /** Set by the authentication guard once the request's principal is verified. */
  subject: string | undefined = undefined;

  constructor(
    readonly requestId: string,
    readonly correlationId: string,
    request: FastifyRequest,
    response?: ServerResponse,
  ) {
    this.request = request;
    this.response = response;
  }

  /**
   * Fastify's `request.signal`: aborted on handler timeout (REQUEST_TIMEOUT_SECONDS)
   * and when the client goes away before the response is done — not when the
   * body has been read ({@link holdSignalUntilResponse}).
   * First read after the request is over: an already aborted signal.
   */
  get signal(): AbortSignal {
    if (this.abortSignal) return this.abortSignal;
    const request = this.request;
    if (!request) return (this.abortSignal = AbortSignal.abort());
    this.abortSignal = request.signal;
    // Created lazily (no REQUEST_TIMEOUT_SECONDS): Fastify would abort it once the body is read.
    if (this.response) holdSignalUntilResponse(request, this.response);
    return this.abortSignal;
  }

  /**
   * Aborts the request's signal now ({@link abortRequestSignal}); a no-op once
   * the request is over. Used by the shutdown for requests still running at its timeout.
   */
  abandon(): void {
    const request = this.request;
    if (!request) return;
    void this.signal;
    abortRequestSignal(request);
  }

  /** Drops the request; called when the response is finished or the request aborted. A signal already read stays. */
  release(): void {
    this.request = undefined;
    this.response = undefined;
  }
}

/** Where the context of the request a response answers is kept on the raw response. */
const SERVED_CONTEXT = Symbol('chassis.servedRequestContext');

type WithContext = ServerResponse & { [SERVED_CONTEXT]?: ServedRequestContext };

/** Remembers on the raw response the context of the request it answers (the request-context hook). */
export function attachServedContext(response: ServerResponse, context: ServedRequestContext): void {
  (response as WithContext)[SERVED_CONTEXT] = context;
}

/**
 * Aborts the signal of the request `response` answers, if the chassis serves
 * it and it is still running: its database work stops
 * (`src/core/database/abandoned-queries.ts`). For the shutdown's abort of
 * requests still in flight at its timeout.
 */
export function abandonServedRequest(response: ServerResponse): void {
  (response as WithContext)[SERVED_CONTEXT]?.abandon();
}
