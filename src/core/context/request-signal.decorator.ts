import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * Hands the handler the request's `AbortSignal`: aborted when the request
 * deadline passes (`REQUEST_TIMEOUT_SECONDS`; the client gets a 503
 * `request-timeout`), when the client goes away before the response, or when
 * the shutdown aborts requests still running at its timeout. Pass it to work
 * that accepts a signal (`fetch`, `stream.pipeline`, timers) so abandoned work
 * stops. Database queries need no signal: the chassis stops those itself
 * (docs/database.md). The same signal as `currentRequestContext().signal`.
 *
 * @example `async report(@RequestSignal() signal: AbortSignal) { await fetch(url, { signal }) }`
 */
export const RequestSignal = createParamDecorator((_data: unknown, context: ExecutionContext): AbortSignal => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return request.chassisContext?.signal ?? request.signal;
});
