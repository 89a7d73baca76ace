import type { onSendHookHandler } from 'fastify';
import { matchesWeakly, parseEntityTagList } from './entity-tag';

/** Headers a 304 keeps (RFC 9110 §15.4.5); content headers are dropped with the content. */
const CONTENT_HEADERS = ['content-type', 'content-length', 'content-encoding'] as const;

/**
 * The `onSend` hook of conditional GET for every route that sends an `ETag`: a `GET`/`HEAD`
 * whose `If-None-Match` matches it (weak comparison, or `*`) gets **304 Not
 * Modified** without content (RFC 9110 §13.1.2, §15.4.5). It runs before
 * compression, so there is nothing left to compress.
 */
export function notModifiedHook(): onSendHookHandler {
  return (request, reply, payload, done) => {
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch === undefined || reply.statusCode !== 200 || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return done(null, payload);
    }
    const etag = reply.getHeader('etag');
    if (typeof etag !== 'string' || !matchesWeakly(parseEntityTagList(ifNoneMatch), etag)) return done(null, payload);
    void reply.code(304);
    for (const name of CONTENT_HEADERS) reply.removeHeader(name);
    done(null, null);
  };
}
