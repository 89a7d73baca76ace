import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InFlightRequests } from './in-flight-requests';

/** A real HTTP server whose handler holds every request until the test releases it. */
async function holdingServer(): Promise<{ server: Server; port: number; held: ServerResponse[] }> {
  const held: ServerResponse[] = [];
  const server = createServer((_request, response) => held.push(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, held };
}

/** One GET on its own connection; resolves with the status, or with the error's code when the connection is lost. */
function get(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ port, host: '127.0.0.1', path: '/', agent: false }, (res: IncomingMessage) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('InFlightRequests', () => {
  let server: Server;
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('counts requests from their headers until their response ends, also those that come after others finished', async () => {
    const setup = await holdingServer();
    server = setup.server;
    const inFlight = new InFlightRequests(server);

    const first = [get(setup.port), get(setup.port), get(setup.port)];
    await until(() => setup.held.length === 3);
    expect(inFlight.count).toBe(3);

    setup.held[0].end('one');
    setup.held[1].end('two');
    await expect(Promise.all(first.slice(0, 2))).resolves.toEqual([200, 200]);
    await until(() => inFlight.count === 1);

    const later = [get(setup.port), get(setup.port)];
    await until(() => setup.held.length === 5);
    expect(inFlight.count).toBe(3);

    for (const response of setup.held.slice(2)) response.end('done');
    await expect(Promise.all([first[2], ...later])).resolves.toEqual([200, 200, 200]);
    await until(() => inFlight.count === 0);
  });

  it('aborts only the requests still in flight and says how many', async () => {
    const setup = await holdingServer();
    server = setup.server;
    const inFlight = new InFlightRequests(server);

    const finished = get(setup.port);
    const stuck = [get(setup.port), get(setup.port)];
    await until(() => setup.held.length === 3);
    setup.held[0].end('finished');
    await expect(finished).resolves.toBe(200);
    await until(() => inFlight.count === 2);

    expect(inFlight.abortAll()).toBe(2);
    // The connections are closed without a response: the clients see them reset.
    await expect(Promise.all(stuck)).resolves.toEqual(['ECONNRESET', 'ECONNRESET']);
    await until(() => inFlight.count === 0);
    expect(inFlight.abortAll()).toBe(0);
  });
});
