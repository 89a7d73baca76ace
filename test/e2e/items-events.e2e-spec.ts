import type { AddressInfo } from 'node:net';
import { openStream, type OpenStream, type ReceivedEvent } from '../support/streaming-client';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * `GET /items/events` on the in-process event hub (no REDIS_URL), over a real
 * socket: an owner's changes arrive in order with ids, a reconnection with
 * `Last-Event-ID` replays what it missed, and owners never see each other's.
 */
describe('GET /items/events (in-process hub)', () => {
  let t: TestApp;
  let port: number;
  const streams: OpenStream[] = [];
  const auth = (sub: string) => ({ authorization: `Bearer ${t.token({ sub, scope: 'items:read items:write' })}` });
  const isChange = (event: ReceivedEvent) => event.id !== undefined;

  /** Opens the owner's stream and waits for its first keep-alive, by when the subscription is in place. */
  async function subscribe(sub: string, lastEventId?: string): Promise<OpenStream> {
    const stream = await openStream(port, '/items/events', { ...auth(sub), ...(lastEventId ? { 'last-event-id': lastEventId } : {}) });
    streams.push(stream);
    await stream.until((event) => event.comment === 'keep-alive');
    return stream;
  }

  beforeAll(async () => {
    t = await bootTestApp({ SSE_HEARTBEAT_SECONDS: '0.1' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterEach(() => streams.splice(0).forEach((stream) => stream.close()));
  afterAll(async () => t.close());

  const create = (sub: string, sku: string) =>
    t.app.inject({ method: 'POST', url: '/items', headers: auth(sub), payload: { sku, name: 'Lamp', priceCents: 1200, currency: 'EUR' } });

  it('streams the owner’s created, updated and deleted items in order, with increasing ids', async () => {
    const stream = await subscribe('events-owner');
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const created = (await create('events-owner', 'EV-1')).json<{ id: string }>();
    await t.app.inject({ method: 'PATCH', url: `/items/${created.id}`, headers: auth('events-owner'), payload: { name: 'Desk lamp' } });
    await t.app.inject({ method: 'DELETE', url: `/items/${created.id}`, headers: auth('events-owner') });
    await stream.until((event) => event.event === 'deleted');
    const changes = stream.received.filter(isChange);
    expect(changes.map((event) => event.event)).toEqual(['created', 'updated', 'deleted']);
    expect(JSON.parse(changes[0].data!)).toMatchObject({ id: created.id, name: 'Lamp', version: 1, ownerId: 'events-owner' });
    expect(JSON.parse(changes[1].data!)).toMatchObject({ id: created.id, name: 'Desk lamp', version: 2 });
    expect(JSON.parse(changes[2].data!)).toEqual({ id: created.id });
    const ids = changes.map((event) => event.id!);
    expect(ids.every((id) => /^\d+-\d+$/.test(id))).toBe(true);
    expect([...ids].sort(byStreamId)).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
  });

  it('replays the changes missed while disconnected when the client reconnects with Last-Event-ID, then goes on live', async () => {
    const first = await subscribe('replay-owner');
    await create('replay-owner', 'RP-1');
    const seen = await first.until(isChange);
    first.close();
    await create('replay-owner', 'RP-2');
    await create('replay-owner', 'RP-3');

    const again = await subscribe('replay-owner', seen.id);
    await again.until(() => again.received.filter(isChange).length === 2);
    await create('replay-owner', 'RP-4');
    await again.until(() => again.received.filter(isChange).length === 3);
    expect(again.received.filter(isChange).map((event) => JSON.parse(event.data!).sku)).toEqual(['RP-2', 'RP-3', 'RP-4']);
  });

  it('sends a reset event for a Last-Event-ID it cannot replay from', async () => {
    const stream = await subscribe('reset-owner', '1-0');
    const reset = await stream.until((event) => event.event === 'reset');
    expect(JSON.parse(reset.data!)).toEqual({ reason: 'replay-unavailable' });
  });

  it('never shows an owner another owner’s changes', async () => {
    const mine = await subscribe('owner-a');
    const theirs = await subscribe('owner-b');
    await create('owner-b', 'OB-1');
    await create('owner-a', 'OA-1');
    await mine.until(isChange);
    await theirs.until(isChange);
    expect(mine.received.filter(isChange).map((event) => JSON.parse(event.data!).sku)).toEqual(['OA-1']);
    expect(theirs.received.filter(isChange).map((event) => JSON.parse(event.data!).sku)).toEqual(['OB-1']);
  });

  it('needs items:read (403 problem before any stream)', async () => {
    const stream = await openStream(port, '/items/events', { authorization: `Bearer ${t.token({ sub: 'no-scope', scope: 'other' })}` });
    streams.push(stream);
    await stream.ended;
    expect(stream.statusCode).toBe(403);
    expect(stream.headers['content-type']).toContain('application/problem+json');
  });
});

function byStreamId(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}
