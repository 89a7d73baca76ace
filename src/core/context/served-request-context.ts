import type { FastifyRequest } from 'fastify';
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
 *   the request kept whole request graphs alive that long, promoting about
 *   6 KB per request to the old generation and costing about 20 µs of
 *   scavenging per request (docs/performance.md). `release()` drops the request
 *   when the response is finished or the client has gone.
 * - **Lazy signal.** Node creates an `AbortController`'s signal on first access
 *   (about 3 µs), so the signal is read from the request only when someone
 *   asks for it.
 */
export class ServedRequestContext implements RequestContext {
  private request: FastifyRequest | undefined;
  private abortSignal: AbortSignal | undefined;

  constructor(
    readonly requestId: string,
    readonly correlationId: string,
    request: FastifyRequest,
  ) {
    this.request = request;
  }

  /**
   * Fastify's `request.signal`: aborted on handler timeout (REQUEST_TIMEOUT_SECONDS)
   * and when the request is over (Fastify aborts it when the request closes).
   * First read after the request is over: an already aborted signal.
   */
  get signal(): AbortSignal {
    return (this.abortSignal ??= this.request?.signal ?? AbortSignal.abort());
  }

  /** Drops the request; called when the response is finished or the request aborted. A signal already read stays. */
  release(): void {
    this.request = undefined;
  }
}
