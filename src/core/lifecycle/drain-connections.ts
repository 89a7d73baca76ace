import type { onSendHookHandler } from 'fastify';
import type { LifecycleState } from './lifecycle-state';

/**
 * The `onSend` hook of the shutdown drain: once it has begun, every response carries `Connection: close`, so
 * Node closes each keep-alive connection right after the response it was
 * serving, and the client opens a new one (on another replica once the
 * listener is closed) for its next request. Without it, a keep-alive client
 * would send its next request on a connection the server closes as idle when
 * the listener closes: one `ECONNRESET` per keep-alive connection. Requests
 * that arrive on an open connection during the drain are served as usual.
 */
export function connectionCloseWhileDrainingHook(lifecycle: LifecycleState): onSendHookHandler {
  return (_request, reply, payload, done) => {
    if (lifecycle.draining) void reply.header('connection', 'close');
    done(null, payload);
  };
}
