import type { AddressInfo } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { EventStream, type ServerSentEvent } from '../../src/core';
import { find, parseSamples } from '../support/prometheus-text';
import { openStream } from '../support/streaming-client';
import { StreamingProbe, StreamingTestModule } from '../support/streaming-test.module';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * Server-Sent Events through the whole pipeline, over real sockets: the
 * wire format and headers, heartbeats, the request timeout that does not cut
 * a stream, compression that never applies, the producer released when the
 * client goes away, the per-caller limit, the maximum duration, and the
 * guards and errors before a stream starts.
 */
describe('Server-Sent Events', () => {
  let t: TestApp;
  let port: number;
  let probe: StreamingProbe;
  const auth = (sub = 'alice') => ({ authorization: `Bearer ${t.token({ sub })}` });

  beforeAll(async () => {
    t = await bootTestApp(
      {
        SSE_HEARTBEAT_SECONDS: '0.2',
        REQUEST_TIMEOUT_SECONDS: '1',
        SSE_MAX_STREAMS_PER_PRINCIPAL: '2',
        SSE_RETRY_SECONDS: '3',
      },
      { after: [StreamingTestModule] },
    );
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    probe = t.app.get(StreamingProbe);
  });
  afterAll(async () => t.close());

  it('writes the events as text/event-stream, uncached and unbuffered, one data line per line, then ends', async () => {
    const stream = await openStream(port, '/test/streaming/events?count=3&tag=wire', auth());
    await stream.ended;
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-cache');
    expect(stream.headers['x-accel-buffering']).toBe('no');
    expect(stream.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(stream.headers['x-content-type-options']).toBe('nosniff');
    const events = stream.received.filter((e) => e.comment === undefined);
    expect(events).toEqual([
      { id: '1', event: 'tick', data: '{"n":1}' },
      { id: '2', event: 'tick', data: 'line one\nline two' },
      { id: '3', event: 'tick', data: '{"n":3}' },
    ]);
    expect(stream.text()).toContain('data: line one\ndata: line two\n\n');
    expect(await probe.whenFinished('wire')).toEqual({ signalAborted: false });
  });

  it('resumes after Last-Event-ID', async () => {
    const stream = await openStream(port, '/test/streaming/events?count=2', { ...auth(), 'last-event-id': '7' });
    await stream.ended;
    expect(stream.received.filter((e) => e.id !== undefined).map((e) => e.id)).toEqual(['8', '9']);
  });

  it('sends keep-alive comments every SSE_HEARTBEAT_SECONDS, and a stream outlives REQUEST_TIMEOUT_SECONDS', async () => {
    const stream = await openStream(port, '/test/streaming/idle?tag=heartbeat', auth());
    await stream.until((e) => e.event === 'hello');
    const startedAt = Date.now();
    // REQUEST_TIMEOUT_SECONDS is 1: heartbeats still come well after it.
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const heartbeats = stream.received.filter((e) => e.comment === 'keep-alive').length;
    expect(heartbeats).toBeGreaterThanOrEqual(5);
    expect(stream.response.destroyed).toBe(false);
    expect(Date.now() - startedAt).toBeGreaterThan(1000);
    stream.close();
    await probe.whenFinished('heartbeat');
  });

  it('never compresses a stream, even when the client accepts gzip', async () => {
    const stream = await openStream(port, '/test/streaming/large', { ...auth(), 'accept-encoding': 'gzip, br' });
    await stream.ended;
    expect(stream.headers['content-encoding']).toBeUndefined();
    expect(stream.text()).toContain(`data: ${'x'.repeat(64 * 1024)}\n`);
  });

  it('aborts the producer when the client goes away: its signal fires and its finally block runs', async () => {
    const stream = await openStream(port, '/test/streaming/idle?tag=hang-up', auth('hang-up'));
    await stream.until((e) => e.event === 'hello');
    stream.close();
    expect(await probe.whenFinished('hang-up')).toEqual({ signalAborted: true });
  });

  it('unsubscribes an Observable source when the client goes away', async () => {
    const stream = await openStream(port, '/test/streaming/observable?tag=rx', auth('rx'));
    await stream.until((e) => e.data === 'tick 1');
    stream.close();
    expect(await probe.whenFinished('rx')).toEqual({ signalAborted: true });
  });

  it('refuses one stream more than SSE_MAX_STREAMS_PER_PRINCIPAL with a 429 problem, per caller', async () => {
    const first = await openStream(port, '/test/streaming/idle?tag=limit-1', auth('limited'));
    const second = await openStream(port, '/test/streaming/idle?tag=limit-2', auth('limited'));
    const third = await t.app.inject({ method: 'GET', url: '/test/streaming/idle', headers: auth('limited') });
    expect(third.statusCode).toBe(429);
    expect(third.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(third.json()).toMatchObject({ type: 'tag:nest-chassis,2026:problems/too-many-streams', status: 429 });
    expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const other = await openStream(port, '/test/streaming/events?count=1', auth('someone-else'));
    expect(other.statusCode).toBe(200);
    await other.ended;
    first.close();
    await probe.whenFinished('limit-1');
    const again = await openStream(port, '/test/streaming/events?count=1', auth('limited'));
    expect(again.statusCode).toBe(200);
    await again.ended;
    second.close();
    await probe.whenFinished('limit-2');
  });

  it('ends a stream at its maximum duration with a reconnect event carrying retry:', async () => {
    const stream = await openStream(port, '/test/streaming/short', auth('short'));
    await stream.ended;
    const last = stream.received.at(-1);
    expect(last).toEqual({ event: 'reconnect', data: '{"reason":"max-duration"}', retry: 3000 });
    expect(stream.received.filter((e) => e.id !== undefined).length).toBeGreaterThan(0);
  });

  it('refuses a stream without a token (401 problem+json) and answers a handler error before the stream as a problem', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/test/streaming/events' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    const missing = await t.app.inject({ method: 'GET', url: '/test/streaming/missing', headers: auth('missing') });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    // The place the failed stream held is given back.
    for (let i = 0; i < 3; i += 1) {
      expect((await t.app.inject({ method: 'GET', url: '/test/streaming/missing', headers: auth('missing') })).statusCode).toBe(404);
    }
  });

  it('ends the stream rather than write an event id with a line break', async () => {
    const stream = await openStream(port, '/test/streaming/forged', auth('forged'));
    await stream.ended;
    expect(stream.received.filter((e) => e.comment === undefined)).toEqual([{ id: '1', data: 'fine' }]);
    expect(stream.text()).not.toContain('forged');
  });

  it('writes one access-log line per stream when it ends, with how it ended, events and bytes', async () => {
    const stream = await openStream(port, '/test/streaming/events?count=2&tag=logged', auth('logged'));
    await stream.ended;
    await probe.whenFinished('logged');
    const line = await waitFor(() =>
      t.logs.lines.find((l) => l.msg === 'request completed' && l.route === '/test/streaming/events' && l.eventsSent === 2),
    );
    expect(line).toMatchObject({ statusCode: 200, streamEnd: 'completed', eventsSent: 2 });
    expect(line.responseSizeBytes).toBeGreaterThan(0);
    const hangUp = await openStream(port, '/test/streaming/idle?tag=logged-hang-up', auth('logged-2'));
    await hangUp.until((e) => e.event === 'hello');
    hangUp.close();
    await probe.whenFinished('logged-hang-up');
    const closed = await waitFor(() => t.logs.lines.find((l) => l.route === '/test/streaming/idle' && l.streamEnd === 'client-closed'));
    expect(closed).toMatchObject({ msg: 'request completed', eventsSent: 1 });
    const forIdle = t.logs.lines.filter((l) => l.requestId === closed.requestId && (l.msg === 'request completed' || l.clientWentAway));
    expect(forIdle).toHaveLength(1);
  });

  it('counts streams and events, and records a stream in the duration histogram by its time to first byte', async () => {
    const open = await openStream(port, '/test/streaming/idle?tag=metrics', auth('metrics'));
    await open.until((e) => e.event === 'hello');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    let samples = parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
    expect(find(samples, 'sse_active_streams', { route: '/test/streaming/idle' })[0]?.value).toBe(1);
    expect(find(samples, 'sse_events_sent_total', { route: '/test/streaming/events' })[0]?.value).toBeGreaterThan(0);
    // An open stream is not a request being served: only the scrape itself is (it is served through inject).
    expect(find(samples, 'http_server_active_requests', { method: 'GET' })[0]?.value).toBe(1);
    open.close();
    await probe.whenFinished('metrics');
    samples = parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
    expect(find(samples, 'sse_active_streams', { route: '/test/streaming/idle' })[0]?.value).toBe(0);
    // Streams of over a second, all counted under 1 s.
    const under1s = find(samples, 'http_server_request_duration_seconds_bucket', { route: '/test/streaming/idle', le: '1' })[0]?.value;
    const count = find(samples, 'http_server_request_duration_seconds_count', { route: '/test/streaming/idle' })[0]?.value;
    expect(count).toBeGreaterThan(0);
    expect(under1s).toBe(count);
  });

  it('lets a route declare its own request timeout with @RequestTimeout()', async () => {
    // REQUEST_TIMEOUT_SECONDS is 1; the route's own is 3 and it answers after 1.5 s.
    const slow = await t.app.inject({ method: 'GET', url: '/test/streaming/slow', headers: auth('slow') });
    expect(slow.statusCode).toBe(200);
  });
});

@Controller('test/too-long')
class TooLongStreamController {
  @Get()
  @EventStream({ maxDurationSeconds: 100 })
  async *events(): AsyncIterable<ServerSentEvent> {
    yield { data: 'never' };
  }
}

@Module({ controllers: [TooLongStreamController] })
class TooLongStreamModule {}

describe('Server-Sent Events: boot checks', () => {
  it('stops the boot when a route’s maxDurationSeconds exceeds SSE_MAX_DURATION_SECONDS', async () => {
    await expect(bootTestApp({ SSE_MAX_DURATION_SECONDS: '50' }, { after: [TooLongStreamModule] })).rejects.toThrow(
      /maxDurationSeconds: 100.*SSE_MAX_DURATION_SECONDS \(50\)/,
    );
  });
});

async function waitFor<T>(find: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error('not found in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
