import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServedRequestContext } from './served-request-context';

/**
 * What the chassis knows about the request being served, available anywhere
 * in its asynchronous call tree through {@link currentRequestContext}
 * (Node's `AsyncLocalStorage`), with no request object passed around.
 */
export interface RequestContext {
  /** The server-minted request id (`X-Request-ID`). */
  readonly requestId: string;
  /** The inbound `X-Correlation-ID` when well-formed, else the request id. */
  readonly correlationId: string;
  /**
   * Aborted when the request times out (`REQUEST_TIMEOUT_SECONDS`, a 503 is
   * sent) or the client goes away. Pass it to work that accepts a signal
   * (`fetch`, database drivers, `stream.pipeline`) so abandoned work stops.
   */
  readonly signal: AbortSignal;
  /**
   * The tenant the request acts in (docs/tenancy.md): set once the request is
   * authenticated with tenancy on; undefined before, on public routes and with tenancy off.
   */
  readonly tenantId?: string;
  /**
   * The authenticated principal's subject (`sub`): set once the request is
   * authenticated; undefined before and on public routes. Jobs and domain
   * events added by the request carry it (docs/jobs.md).
   */
  readonly subject?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request being served, or `undefined` outside a request (boot, timers, jobs). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs `fn` inside `context`; used by the request-context hook only. */
export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The chassis context of this request, set by the request-context hook:
     * the one holder of its request id and correlation id
     * (`currentRequestContext()` returns it where no request is at hand).
     */
    chassisContext: ServedRequestContext | null;
  }
}
