import { isObservable } from 'rxjs';
import type { ServerSentEventSource } from './server-sent-event-stream';

/** What an `@EventStream()` handler returns to Nest: its source, unopened, for the event-stream interceptor. */
export class EventStreamResult {
  constructor(readonly source: unknown) {}

  /**
   * The source as a stream can read it.
   * @throws TypeError when the handler returned neither an AsyncIterable nor an Observable (a bug: a 500).
   */
  eventSource(): ServerSentEventSource {
    const source = this.source;
    if (isObservable(source)) return source as ServerSentEventSource;
    if (typeof source === 'object' && source !== null && Symbol.asyncIterator in source) return source as ServerSentEventSource;
    throw new TypeError('An @EventStream() handler must return an AsyncIterable<ServerSentEvent> or an Observable<ServerSentEvent>');
  }
}
