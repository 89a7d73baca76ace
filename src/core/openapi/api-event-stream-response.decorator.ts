import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

/**
 * Documents an `@EventStream()` route's 200 answer: `text/event-stream`,
 * whose schema is one event of the stream (the fields of the WHATWG
 * "Server-sent events" wire format), so a client generated from the document
 * knows each event's shape: `@ApiEventStreamResponse('…', ['created', 'deleted'])`.
 *
 * @param description what the stream carries, and the `data` of each event type.
 * @param events the `event:` names the route sends (`reset` and `reconnect`, sent by the chassis, are added).
 */
export function ApiEventStreamResponse(description: string, events: readonly string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiOkResponse({
      description,
      content: {
        'text/event-stream': {
          schema: {
            type: 'object',
            description: 'One event of the stream; the body is a sequence of them (and `:` comment lines, the heartbeats).',
            required: ['data'],
            properties: {
              id: { type: 'string', description: 'The id to send back as `Last-Event-ID` to resume after this event.' },
              event: { type: 'string', enum: [...new Set([...events, 'reset', 'reconnect'])], description: 'The event type.' },
              data: { type: 'string', description: 'The payload, JSON for the event types listed in the description.' },
              retry: { type: 'integer', minimum: 0, description: 'Reconnection delay, in milliseconds.' },
            },
          },
        },
      },
    }),
  );
}
