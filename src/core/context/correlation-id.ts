import type { IncomingMessage } from 'node:http';

/** The request and response header carrying the correlation id. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/**
 * What an inbound correlation id may look like: 1-128 letters, digits and
 * `. _ : -` (UUIDs, ULIDs, W3C trace ids). Anything else — too long, spaces,
 * control characters that could forge log lines — is discarded.
 */
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** Where the resolved id is kept on the raw request, so it is computed once. */
const RESOLVED = Symbol('correlationId');

type RawRequest = IncomingMessage & { [RESOLVED]?: string };

/**
 * The correlation id of a raw request, resolved on first use and remembered
 * on the request: Fastify's child-logger factory asks first (before any hook
 * runs), the request-context hook asks next and gets the same value. Once
 * the hook has run, code reads it from the request context
 * (`request.chassisContext`, `currentRequestContext()`); this function is
 * for the places that run before it or without it (client errors).
 */
export function correlationIdOf(raw: IncomingMessage, requestId: string): string {
  const request = raw as RawRequest;
  return (request[RESOLVED] ??= resolveCorrelationId(request.headers[CORRELATION_ID_HEADER], requestId));
}

/**
 * The correlation id of a request: the inbound `X-Correlation-ID` when it is
 * well-formed (a caller's id, kept across services), else the request id.
 * A pure function of the request: every reader gets the same value without
 * depending on hook order.
 */
export function resolveCorrelationId(inbound: string | string[] | undefined, requestId: string): string {
  return typeof inbound === 'string' && WELL_FORMED.test(inbound) ? inbound : requestId;
}
