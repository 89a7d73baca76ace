import type { FastifyRequest } from 'fastify';

/** Codes and names of the errors a hang-up causes: the body read aborted, a signal aborted, a stream cut short. */
const ABORT_CODES = new Set(['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE', 'ABORT_ERR']);

/**
 * True when the client closed its connection before the answer and `error`
 * is what that caused (an aborted body read, an aborted signal): nobody can
 * receive an answer, and it is not a server fault. The access log writes the
 * request's one line. Any other error stays a fault, hang-up or not.
 */
export function isClientGone(request: FastifyRequest, error: unknown): boolean {
  if (!request.raw.aborted && request.raw.socket?.destroyed !== true) return false;
  return isAbortError(error) || isAbortError((error as { cause?: unknown } | null)?.cause);
}

function isAbortError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  return (typeof code === 'string' && ABORT_CODES.has(code)) || name === 'AbortError' || message === 'aborted';
}
