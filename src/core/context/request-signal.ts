import type { ServerResponse } from 'node:http';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';

/**
 * Fastify's private symbol for the listener that aborts `request.signal` and
 * clears the handler-timeout timer; undefined if a Fastify release renames it
 * (the chassis then leaves Fastify's behaviour as it is).
 */
const kOnAbort: symbol | undefined = (() => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('fastify/lib/symbols') as { kOnAbort?: symbol }).kOnAbort;
  } catch {
    return undefined;
  }
})();

const MOVED = Symbol('chassis.requestSignalMoved');

type WithAbort = FastifyRequest & Record<symbol, unknown>;

/**
 * Makes `request.signal` abort when the client goes away or the deadline
 * passes — not when the request body has been read.
 *
 * Fastify (up to 5.12.8 at least, fastify/fastify#6725) aborts the signal and
 * clears the `handlerTimeout` timer on the request stream's `close`, which
 * Node emits as soon as the body has been consumed: for a POST/PUT/PATCH the
 * signal was aborted before the handler ran and `REQUEST_TIMEOUT_SECONDS` no
 * longer applied. This moves that listener to the response's `close`, which
 * comes when the response is done or the connection is lost, and runs it only
 * in the second case (Fastify removes it itself once the reply is sent).
 *
 * Safe to call more than once per request, and for a request whose signal was
 * never created (nothing to move).
 */
export function holdSignalUntilResponse(request: FastifyRequest, response: ServerResponse): void {
  if (kOnAbort === undefined) return;
  const key = kOnAbort;
  const withAbort = request as WithAbort;
  const onAbort = withAbort[key];
  if (typeof onAbort !== 'function' || withAbort[MOVED] === onAbort) return;
  withAbort[MOVED] = onAbort;
  request.raw.removeListener('close', onAbort as () => void);
  response.once('close', () => {
    const current = withAbort[key];
    if (typeof current === 'function' && !response.writableFinished) (current as () => void)();
  });
}

/**
 * Aborts `request.signal` now, as Fastify does when the client goes away
 * (creating the signal first if nobody has read it yet). The shutdown uses it
 * for requests still running at its timeout, before it closes their
 * connections: Node reports those closes only after the server has closed, too
 * late for the request's database work to stop first. A no-op if a Fastify
 * release renames its abort listener.
 */
export function abortRequestSignal(request: FastifyRequest): void {
  if (kOnAbort === undefined) return;
  void request.signal;
  const onAbort = (request as WithAbort)[kOnAbort];
  if (typeof onAbort === 'function') (onAbort as () => void)();
}

/** The hook that applies {@link holdSignalUntilResponse} to every request whose handler has a deadline (the signal exists from the start). */
export function requestSignalHook(): onRequestHookHandler {
  return (request, reply, done) => {
    holdSignalUntilResponse(request, reply.raw);
    done();
  };
}
