import { connect } from 'node:net';

/** A response read off a socket: enough of HTTP/1.1 for assertions on one answer. */
export interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from the first byte written to the first byte of the answer (or to the close). */
  elapsedMs: number;
  /** The server closed the connection. */
  closed: boolean;
  json<T = Record<string, unknown>>(): T;
}

/**
 * Writes `chunks` to a fresh connection (bytes Node's parser may refuse, which
 * `inject` cannot send) and reads the first answer, up to `timeoutMs`. Strings
 * are written as latin1, so any byte can be sent. A chunk may be a pause (ms).
 */
export function rawRequest(port: number, chunks: (string | number)[], timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const started = performance.now();
    let answeredAt: number | undefined;
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      answeredAt ??= performance.now();
      data = Buffer.concat([data, chunk]);
      if (complete(data)) finish(false);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
    let done = false;
    function finish(closed: boolean) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (data.length === 0) return reject(new Error(`no answer within ${timeoutMs} ms (closed: ${closed})`));
      resolve({ ...parse(data.toString('utf8')), elapsedMs: (answeredAt ?? performance.now()) - started, closed });
    }
    void (async () => {
      for (const chunk of chunks) {
        if (done) return;
        if (typeof chunk === 'number') await new Promise((r) => setTimeout(r, chunk));
        else socket.write(Buffer.from(chunk, 'latin1'));
      }
    })();
  });
}

function complete(data: Buffer): boolean {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(data.subarray(0, end).toString('latin1'));
  return length !== null && data.length >= end + 4 + Number(length[1]);
}

function parse(text: string): Omit<RawResponse, 'elapsedMs' | 'closed'> {
  const [head, ...rest] = text.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = rest.join('\r\n\r\n');
  return { statusCode: Number(statusLine.split(' ')[1]), headers, body, json: <T>() => JSON.parse(body) as T };
}
