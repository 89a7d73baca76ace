import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the fake upstream received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type UpstreamHandler = (request: ReceivedRequest, response: ServerResponse) => unknown;

/**
 * A fake upstream on 127.0.0.1 (node:http) for the outbound client's tests:
 * answers with the handler a test sets, records every request, and counts
 * its open sockets (now and at most) to check the client's pool bound.
 */
export class UpstreamServer {
  readonly requests: ReceivedRequest[] = [];
  openSockets = 0;
  maxOpenSockets = 0;
  private handler: UpstreamHandler = (_request, response) => json(response, 200, { ok: true });
  private readonly sockets = new Set<Socket>();
  private server?: Server;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        const received = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
        this.requests.push(received);
        void this.handler(received, response);
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      this.openSockets += 1;
      this.maxOpenSockets = Math.max(this.maxOpenSockets, this.openSockets);
      socket.on('close', () => {
        this.sockets.delete(socket);
        this.openSockets -= 1;
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Answers every following request with `handler`. */
  answer(handler: UpstreamHandler): void {
    this.handler = handler;
  }

  /** Forgets the recorded requests and the socket high-water mark. */
  reset(): void {
    this.requests.length = 0;
    this.maxOpenSockets = this.openSockets;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** A JSON answer. */
export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
