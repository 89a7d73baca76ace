import { NotFoundException } from '@nestjs/common';
import type { onRequestHookHandler } from 'fastify';

/**
 * The hook that answers a request no route matches from `onRequest`, before its body is
 * read: Fastify's not-found handler would first wait for (and parse) the body,
 * so a client sending less than its Content-Length to an unknown path held a
 * socket until the handler timeout. The filter renders the 404 (or the 405
 * when the path exists for another method) as usual.
 */
export function unknownRouteHook(): onRequestHookHandler {
  return (request, _reply, done) => {
    if (request.is404) return done(new NotFoundException());
    done();
  };
}
