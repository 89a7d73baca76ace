import type { FastifyRequest } from 'fastify';

/**
 * True when the client closed its connection before the answer: nobody can
 * receive one, and the error it caused (an aborted body read, an aborted
 * signal) is not a server fault. The access log writes its one line for it.
 */
export function isClientGone(request: FastifyRequest): boolean {
  return request.raw.aborted || request.raw.socket?.destroyed === true;
}
