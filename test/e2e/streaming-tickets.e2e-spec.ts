import type { AddressInfo } from 'node:net';
import { openStream } from '../support/streaming-client';
import { StreamingTestModule } from '../support/streaming-test.module';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * Stream tickets for browsers (`EventSource` cannot send `Authorization`):
 * minted by an authenticated POST, good once, for one stream path, for
 * SSE_TICKET_TTL_SECONDS, and only on `@EventStream()` routes.
 */
describe('stream tickets', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await bootTestApp({ SSE_TICKET_TTL_SECONDS: '1' }, { after: [StreamingTestModule] });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => t.close());

  const mint = async (path: string, sub = 'browser') => {
    const response = await t.app.inject({ method: 'POST', url: '/streams/tickets', headers: t.authHeader({ sub }), payload: { path } });
    expect(response.statusCode).toBe(201);
    return response.json<{ ticket: string; path: string; expiresInSeconds: number }>();
  };

  it('mints a ticket for an authenticated caller only, for a well-formed path', async () => {
    const anonymous = await t.app.inject({ method: 'POST', url: '/streams/tickets', payload: { path: '/test/streaming/events' } });
    expect(anonymous.statusCode).toBe(401);
    const bad = await t.app.inject({ method: 'POST', url: '/streams/tickets', headers: t.authHeader(), payload: { path: 'x?y' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    const issued = await mint('/test/streaming/events');
    expect(issued).toEqual({ ticket: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), path: '/test/streaming/events', expiresInSeconds: 1 });
  });

  it('opens the stream once as the ticket’s holder, and is refused the second time', async () => {
    const { ticket } = await mint('/test/streaming/events', 'ticket-holder');
    const first = await openStream(port, `/test/streaming/events?count=1&ticket=${ticket}`);
    await first.ended;
    expect(first.statusCode).toBe(200);
    expect(first.received.some((e) => e.event === 'tick')).toBe(true);
    const line = t.logs.lines.find((l) => l.route === '/test/streaming/events' && l.streamEnd === 'completed' && l.eventsSent === 1);
    expect(line).toBeDefined();
    expect(String(line?.url)).not.toContain(ticket);
    const again = await t.app.inject({ method: 'GET', url: `/test/streaming/events?count=1&ticket=${ticket}` });
    expect(again.statusCode).toBe(401);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses a ticket for another path, an expired ticket, and a ticket on a route that does not stream', async () => {
    const other = await mint('/test/streaming/idle');
    expect((await t.app.inject({ method: 'GET', url: `/test/streaming/events?ticket=${other.ticket}` })).statusCode).toBe(401);
    // Used up by the wrong path: not good for its own either.
    expect((await t.app.inject({ method: 'GET', url: `/test/streaming/idle?ticket=${other.ticket}` })).statusCode).toBe(401);

    const expiring = await mint('/test/streaming/events');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await t.app.inject({ method: 'GET', url: `/test/streaming/events?ticket=${expiring.ticket}` })).statusCode).toBe(401);

    const notAStream = await mint('/items');
    expect((await t.app.inject({ method: 'GET', url: `/items?ticket=${notAStream.ticket}` })).statusCode).toBe(401);
  });
});
