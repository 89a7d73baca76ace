import type { Server, ServerResponse } from 'node:http';
import { abandonServedRequest } from '../context/served-request-context';

/**
 * The requests a server is serving right now (from the moment Node has read
 * their headers until their response is finished or their connection lost),
 * so the shutdown can abort those still running at its timeout.
 */
export class InFlightRequests {
  private readonly responses = new Set<ServerResponse>();

  /** Starts tracking every request `server` receives from now on. */
  constructor(server: Server) {
    server.on('request', (_request, response: ServerResponse) => {
      this.responses.add(response);
      response.once('close', () => this.responses.delete(response));
    });
  }

  /** How many requests are in flight. */
  get count(): number {
    return this.responses.size;
  }

  /**
   * Aborts every request in flight and returns how many there were: first
   * its `request.signal`, so its database work stops
   * (`src/core/database/abandoned-queries.ts`), then its connection, so the
   * server can close.
   */
  abortAll(): number {
    const aborted = this.responses.size;
    for (const response of this.responses) abandonServedRequest(response);
    for (const response of this.responses) response.destroy();
    return aborted;
  }
}
