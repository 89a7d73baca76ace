import type { Readable } from 'node:stream';
import type { ServerSentEvent } from '../streaming/server-sent-event';

type EventSourceParserModule = typeof import('eventsource-parser');

/** eventsource-parser (ES module only), required on the first stream. */
function loadParser(): EventSourceParserModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('eventsource-parser') as EventSourceParserModule;
}

/**
 * The events of a `text/event-stream` body, parsed by `eventsource-parser`
 * (WHATWG HTML §9.2.6), pulled one chunk at a time: the body is read only
 * when the consumer asks for more than the events already parsed, so a slow
 * consumer leaves the rest in the socket (TCP backpressure) instead of in
 * memory. Aborting `signal` ends the iteration with its reason. `data` is the event's text; `retry` is in milliseconds. Ending the
 * iteration early (break, `return()`, an error) destroys the body, which
 * closes the upstream connection.
 */
export async function* readEventStream(body: Readable, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
  const parsed: ServerSentEvent[] = [];
  let retry: number | undefined;
  const parser = loadParser().createParser({
    onEvent: ({ id, event, data }) => {
      parsed.push({
        ...(id === undefined ? {} : { id }),
        ...(event === undefined ? {} : { event }),
        data,
        ...(retry === undefined ? {} : { retry }),
      });
      retry = undefined;
    },
    onRetry: (milliseconds) => (retry = milliseconds),
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of body) {
      parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
      while (parsed.length > 0) {
        // Events already parsed from the last chunk are not handed out once the caller has aborted.
        signal?.throwIfAborted();
        yield parsed.shift()!;
      }
    }
    parser.feed(decoder.decode());
    while (parsed.length > 0) yield parsed.shift()!;
  } finally {
    body.destroy();
  }
}
