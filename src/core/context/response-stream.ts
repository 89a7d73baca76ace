import type { FastifyRequest } from 'fastify';

const STREAM_STARTED = Symbol('chassis.responseStreamStarted');

type WithStream = FastifyRequest & { [STREAM_STARTED]?: number };

/**
 * Marks `request` as answered by a stream (`@EventStream()`) whose headers went
 * out `seconds` after the request arrived. The HTTP duration histogram records
 * that time for it, not the stream's lifetime, and the stream writes its own
 * access-log line when it ends (docs/streaming.md).
 */
export function markResponseStream(request: FastifyRequest, seconds: number): void {
  (request as WithStream)[STREAM_STARTED] = seconds;
}

/** The time to the stream's start, in seconds, when `request` is answered by a stream; otherwise undefined. */
export function responseStreamStart(request: FastifyRequest): number | undefined {
  return (request as WithStream)[STREAM_STARTED];
}
