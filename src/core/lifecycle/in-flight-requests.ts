import type { Server, ServerResponse } from 'node:http';
import { SlotList } from '../async/slot-list';
import { abandonServedRequest } from '../context/served-request-context';

/**
 * The requests a server is serving right now (from the moment Node has read
 * their headers until their response is finished or their connection lost),
 * so the shutdown can abort those still running at its timeout.
 */
export class InFlightRequests {
  // A SlotList, not a Set: one add and one delete per request (see SlotList).
  private readonly responses = new SlotList<ServerResponse>();

  /** Starts tracking every request `server` receives from now on. */
  constructor(server: Server) {
    server.on('request', (_request, response: ServerResponse) => {
      const slot = this.responses.add(response);
      response.once('close', () => this.responses.remove(slot, response));
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
    // A copy: destroying a response frees its slot while this runs.
    const responses = this.responses.entries().map(([, response]) => response);
    for (const response of responses) abandonServedRequest(response);
    for (const response of responses) response.destroy();
    return responses.length;
  }
}
