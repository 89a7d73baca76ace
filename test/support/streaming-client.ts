import { request as httpRequest, type IncomingHttpHeaders, type ClientRequest, type IncomingMessage } from 'node:http';

/** One parsed Server-Sent Event (or a comment), as a client sees it. */
export interface ReceivedEvent {
  comment?: string;
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
}

/** An open `text/event-stream` response read off a real socket, block by block. */
export interface OpenStream {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** Every block received so far, comments included. */
  received: ReceivedEvent[];
  /** The raw body received so far. */
  text(): string;
  /** Resolves once `predicate` holds for a received block (rejects after `timeoutMs`). */
  until(predicate: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  /** Hangs up, as a browser tab closing. */
  close(): void;
  request: ClientRequest;
  response: IncomingMessage;
}

/** Opens `path` on 127.0.0.1:`port` and resolves once the status line and headers are in; the body keeps coming. */
export function openStream(port: number, path: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream', ...headers } });
    request.on('error', reject);
    request.on('response', (response) => {
      let raw = '';
      const received: ReceivedEvent[] = [];
      const listeners = new Set<() => void>();
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        raw += chunk;
        let end: number;
        while ((end = raw.indexOf('\n\n', parsedUpTo(received))) !== -1) {
          received.push(parseBlock(raw.slice(parsedUpTo(received), end)));
          offsets.set(received, end + 2);
        }
        for (const listener of listeners) listener();
      });
      const ended = new Promise<void>((done) => {
        response.on('end', done);
        response.on('close', done);
      });
      const until = (predicate: (event: ReceivedEvent) => boolean, timeoutMs = 5000) =>
        new Promise<ReceivedEvent>((done, fail) => {
          const check = () => {
            const found = received.find(predicate);
            if (!found) return false;
            listeners.delete(check as () => void);
            clearTimeout(timer);
            done(found);
            return true;
          };
          const timer = setTimeout(() => {
            listeners.delete(check as () => void);
            fail(new Error(`no matching event within ${timeoutMs} ms; received ${JSON.stringify(received)}`));
          }, timeoutMs);
          if (!check()) listeners.add(check as () => void);
        });
      resolve({
        statusCode: response.statusCode ?? 0,
        headers: response.headers,
        received,
        text: () => raw,
        until,
        ended,
        close: () => request.destroy(),
        request,
        response,
      });
    });
    request.end();
  });
}

const offsets = new WeakMap<ReceivedEvent[], number>();
function parsedUpTo(received: ReceivedEvent[]): number {
  return offsets.get(received) ?? 0;
}

/** One block of the wire format (WHATWG HTML §9.2.6), data lines joined with LF. */
function parseBlock(block: string): ReceivedEvent {
  const event: ReceivedEvent = {};
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      event.comment = line.slice(1).trim();
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'id') event.id = value;
    else if (field === 'event') event.event = value;
    else if (field === 'retry') event.retry = Number(value);
  }
  if (data.length > 0) event.data = data.join('\n');
  return event;
}
