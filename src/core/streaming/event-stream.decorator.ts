import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import { EventStreamInterceptor } from './event-stream.interceptor';
import { EventStreamResult } from './event-stream-result';
import {
  EVENT_STREAM_OPTIONS,
  EVENT_STREAM_ROUTE_CONFIG,
  type EventStreamOptions,
  type EventStreamRouteConfig,
  mergeRouteConfig,
} from './event-stream-route';

export type { EventStreamOptions } from './event-stream-route';

/**
 * Marks a GET handler as a Server-Sent Events route (docs/streaming.md). The
 * handler returns (or resolves to) an `AsyncIterable<ServerSentEvent>` (an
 * `async *` method) or an RxJS `Observable<ServerSentEvent>`; the chassis
 * writes it as `text/event-stream`:
 *
 * - guards run first, as on every route (401, 403, 429 are problem+json), and
 *   so does anything the handler throws before it returns its source;
 * - one caller holds at most SSE_MAX_STREAMS_PER_PRINCIPAL streams (429);
 * - `Cache-Control: no-cache`, `X-Accel-Buffering: no`, never compressed;
 *   each event is written as it comes, a `: keep-alive` comment every SSE_HEARTBEAT_SECONDS;
 * - the request timeout does not apply: the stream ends with a `reconnect`
 *   event after `maxDurationSeconds`, and at shutdown;
 * - when the client goes away the request's `AbortSignal` (`@RequestSignal()`)
 *   aborts and the source is released: an iterator's `return()` (its `finally`
 *   blocks run), an Observable unsubscribed;
 * - a browser's `EventSource` may present a stream ticket (`?ticket=`, from
 *   `POST /streams/tickets`) instead of a bearer token.
 *
 * @example
 * ```ts
 * @Get('events')
 * @EventStream()
 * async *events(@RequestSignal() signal: AbortSignal, @LastEventId() lastId?: string): AsyncIterable<ServerSentEvent> {
 *   for await (const change of this.changes.since(lastId, signal)) yield { id: change.id, event: 'changed', data: change };
 * }
 * ```
 * @throws Error at boot when `maxDurationSeconds` is not a positive number or exceeds SSE_MAX_DURATION_SECONDS.
 */
export function EventStream(options: EventStreamOptions = {}): MethodDecorator {
  const { maxDurationSeconds } = options;
  if (maxDurationSeconds !== undefined && !(Number.isFinite(maxDurationSeconds) && maxDurationSeconds > 0)) {
    throw new Error(`@EventStream(): maxDurationSeconds must be a positive number of seconds, got ${maxDurationSeconds}`);
  }
  const route: EventStreamRouteConfig = maxDurationSeconds === undefined ? {} : { maxDurationSeconds };
  return applyDecorators(
    returnsEventStreamResult(),
    mergeRouteConfig(EVENT_STREAM_ROUTE_CONFIG, route),
    SetMetadata(EVENT_STREAM_OPTIONS, options),
    UseInterceptors(EventStreamInterceptor),
    ApiProduces('text/event-stream'),
  );
}

/**
 * Wraps the handler so that it returns its source inside an
 * {@link EventStreamResult}: Nest would otherwise subscribe to a returned
 * Observable itself and wait for it to complete. The metadata other
 * decorators put on the original method is copied onto the wrapper.
 */
function returnsEventStreamResult(): MethodDecorator {
  return (_target, _property, descriptor) => {
    const original = descriptor.value as unknown as (...args: unknown[]) => unknown;
    const wrapper = function (this: unknown, ...args: unknown[]): unknown {
      const result = original.apply(this, args);
      return result instanceof Promise ? result.then((source) => new EventStreamResult(source)) : new EventStreamResult(result);
    };
    Object.defineProperty(wrapper, 'name', { value: original.name });
    for (const key of Reflect.getMetadataKeys(original) as unknown[]) {
      Reflect.defineMetadata(key, Reflect.getMetadata(key, original), wrapper);
    }
    (descriptor as TypedPropertyDescriptor<unknown>).value = wrapper;
    return descriptor;
  };
}
