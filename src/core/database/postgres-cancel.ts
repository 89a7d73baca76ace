import type { Connection as PgConnection } from 'pg';

/** The parts of a connected node-postgres client a cancel request needs. */
export interface CancellableClient {
  readonly host: string;
  readonly port: number;
  readonly processID: number | null;
  readonly secretKey: unknown;
}

/** The parts of pg's protocol connection used here (its type definitions omit them). */
interface ProtocolConnection {
  readonly stream: { destroy(): void };
  connect(port: number | string, host?: string): void;
  cancel(processID: number, secretKey: unknown): void;
  on(event: 'connect' | 'end' | 'error', listener: () => void): void;
}

/** How long a cancel request may take before it is given up (the query then runs to its statement timeout), in ms. */
export const CANCEL_REQUEST_TIMEOUT_MS = 2000;

/**
 * Asks the PostgreSQL server to cancel whatever `client`'s session is running
 * (the protocol's CancelRequest, what `psql` sends on Ctrl-C); resolves when
 * the server has handled it (it closes the socket), failed or timed out.
 * Never rejects: a cancel is best effort.
 *
 * A CancelRequest on its own short-lived socket, rather than
 * `pg_cancel_backend()` on a pooled connection: it needs no free pooled
 * connection (the pool may be exhausted), no authentication and no server
 * connection slot. A server that is idle when it arrives ignores it.
 */
export function cancelRunningQuery(client: CancellableClient): Promise<void> {
  const { processID, secretKey } = client;
  if (processID === null || processID === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    // Required here, not at the top: only PostgreSQL cancels, and by then its driver has loaded pg (a SQLite start never does).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Connection } = require('pg') as { Connection: typeof PgConnection };
    const connection = new Connection() as unknown as ProtocolConnection;
    const done = () => {
      clearTimeout(timer);
      connection.stream.destroy();
      resolve();
    };
    const timer = setTimeout(done, CANCEL_REQUEST_TIMEOUT_MS);
    connection.on('error', done);
    connection.on('end', done);
    connection.on('connect', () => connection.cancel(processID, secretKey));
    // The same address rule as node-postgres's own connect: a host starting with "/" is a Unix socket directory.
    if (client.host.startsWith('/')) connection.connect(`${client.host}/.s.PGSQL.${client.port}`);
    else connection.connect(client.port, client.host);
  });
}
