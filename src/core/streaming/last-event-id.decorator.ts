import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../errors/problem.exception';
import { PROBLEM_TYPES } from '../errors/problem-details';

/** The longest `Last-Event-ID` accepted, in characters; an id is an opaque cursor, not data. */
export const MAX_LAST_EVENT_ID_LENGTH = 256;

/**
 * Hands the handler the `Last-Event-ID` request header: the `id` of the last
 * event a reconnecting client received (WHATWG HTML §9.2.4), for the source
 * to resume after it. Undefined on a first connection (absent or empty).
 *
 * @throws ProblemException 400 (`validation`) when it is longer than {@link MAX_LAST_EVENT_ID_LENGTH}.
 * @example `async *events(@LastEventId() lastEventId?: string)`
 */
export const LastEventId = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<FastifyRequest>().headers['last-event-id'];
  const id = Array.isArray(value) ? value[0] : value;
  if (id === undefined || id === '') return undefined;
  if (id.length > MAX_LAST_EVENT_ID_LENGTH) {
    throw new ProblemException({
      status: 400,
      type: PROBLEM_TYPES.validation,
      detail: `Last-Event-ID is longer than ${MAX_LAST_EVENT_ID_LENGTH} characters.`,
      errors: [{ location: 'header', pointer: '#/last-event-id', detail: `must be at most ${MAX_LAST_EVENT_ID_LENGTH} characters` }],
    });
  }
  return id;
});
