import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { UpstreamClients } from '../../src/core';
import { openStream } from '../support/streaming-client';
import { bootTestApp, type TestApp } from '../support/test-app';
import { json, UpstreamServer } from '../support/upstream-server';
import { UpstreamTestController } from '../support/upstream-test.controller';

const MiB = 1024 * 1024;

/** Writes `total` bytes of 16 KiB events as fast as the socket takes them (honouring write backpressure), counting what was written. */
async function writeEvents(response: ServerResponse, total: number, counter: { written: number; closed: boolean }): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.on('close', () => (counter.closed = true));
  const payload = 'x'.repeat(16 * 1024);
  for (let id = 0; counter.written < total && !counter.closed; id++) {
    const chunk = `id: ${id}\nevent: token\ndata: ${payload}\n\n`;
    counter.written += chunk.length;
    if (!response.write(chunk)) await drainedOrClosed(response);
  }
  response.end();
}

/** Waits for `drain` or `close`, whichever comes first, and removes both listeners (one left per wait piled up past Node's listener warning). */
function drainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done).off('close', done);
      resolve();
    };
    response.once('drain', done).once('close', done);
  });
}

/**
 * Streams from an upstream `text/event-stream` and trace propagation
 * through OpenTelemetry's undici instrumentation (what src/core/tracing
 * starts in production), exporting to memory.
 */
describe('outbound HTTP client: streams and traces (e2e)', () => {
  const upstream = new UpstreamServer();
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const instrumentation = new UndiciInstrumentation();
  let t: TestApp;

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    instrumentation.setTracerProvider(provider);
    instrumentation.enable();
    await upstream.start();
    t = await bootTestApp(
      { UPSTREAM_FAKE_URL: upstream.url, UPSTREAM_FAKE_TIMEOUT_SECONDS: '1', UPSTREAM_FAKE_CONNECTIONS: '2' },
      { controllers: [UpstreamTestController] },
    );
  });
  afterAll(async () => {
    await t?.close();
    await upstream.stop();
    instrumentation.disable();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('sends a traceparent of the active span and exports one client span per call', async () => {
    upstream.reset();
    upstream.answer((_request, response) => json(response, 200, {}));
    const tracer = trace.getTracer('test');
    const { traceId, spanId } = await tracer.startActiveSpan('inbound', async (span) => {
      const response = await t.app.inject({ method: 'GET', url: '/upstream-test/traced' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ traceId: span.spanContext().traceId });
      span.end();
      return span.spanContext();
    });
    const traceparents = upstream.requests.map((request) => request.headers.traceparent);
    expect(traceparents).toHaveLength(1);
    expect(traceparents[0]).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const clients = exporter.getFinishedSpans().filter((span) => span.kind === 2 && span.spanContext().traceId === traceId);
    expect(clients).toHaveLength(1);
    expect(clients[0]!.parentSpanContext?.spanId).toBe(spanId);
    expect(traceparents[0]).toContain(clients[0]!.spanContext().spanId);
    expect(clients[0]!.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200 });
  });

  it('relays upstream events with their id, type and data, and closes the upstream when the consumer stops', async () => {
    const counter = { written: 0, closed: false };
    upstream.answer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.on('close', () => (counter.closed = true));
      response.write('retry: 2000\nid: 1\nevent: token\ndata: {"text":"Hel"}\n\n');
      response.write('id: 2\nevent: token\ndata: {"text":"lo"}\n\n: a comment\n\ndata: line one\ndata: line two\n\n');
    });
    const response = await t.app.inject({ method: 'GET', url: '/upstream-test/events?take=3' });
    expect(response.json()).toEqual({
      events: [
        { id: '1', event: 'token', data: '{"text":"Hel"}', retry: 2000 },
        { id: '2', event: 'token', data: '{"text":"lo"}' },
        { data: 'line one\nline two' },
      ],
    });
    await waitUntil(() => counter.closed);
  });

  it('reads no faster than a slow consumer pulls: what the upstream could write stays bounded, and aborting closes it', async () => {
    const counter = { written: 0, closed: false };
    upstream.answer((_request, response) => void writeEvents(response, 50 * MiB, counter));
    const controller = new AbortController();
    const events = await t.app.get(UpstreamClients).get('fake').stream('/events', { signal: controller.signal });
    let consumed = 0;
    let pulled = 0;
    for await (const event of events) {
      consumed += String(event.data).length;
      if (++pulled === 100) break;
      await sleep(5);
    }
    // 100 events of 16 KiB consumed; without backpressure the upstream would have written all 50 MiB by now.
    const ahead = counter.written - consumed;
    expect(ahead).toBeLessThan(16 * MiB);
    expect(counter.written).toBeLessThan(25 * MiB);
    await waitUntil(() => counter.closed);

    const second = { written: 0, closed: false };
    upstream.answer((_request, response) => void writeEvents(response, 50 * MiB, second));
    const abort = new AbortController();
    const iterator = (await t.app.get(UpstreamClients).get('fake').stream('/events', { signal: abort.signal }))[Symbol.asyncIterator]();
    await iterator.next();
    abort.abort();
    await expect(iterator.next()).rejects.toThrow();
    await waitUntil(() => second.closed);
    expect(second.written).toBeLessThan(25 * MiB);
  });

  it('keeps streams on a pool of their own: open streams take none of the connections calls need', async () => {
    const open: ServerResponse[] = [];
    upstream.answer((request, response) => {
      if (request.url !== '/events') return json(response, 200, { served: true });
      open.push(response);
      response.writeHead(200, { 'content-type': 'text/event-stream' }).write('id: 1\ndata: open\n\n');
    });
    const client = t.app.get(UpstreamClients).get('fake');
    const abort = new AbortController();
    try {
      // As many streams as UPSTREAM_FAKE_CONNECTIONS, each holding its connection.
      const streams = await Promise.all([1, 2].map(() => client.stream('/events', { signal: abort.signal })));
      for (const events of streams) expect((await events[Symbol.asyncIterator]().next()).value).toMatchObject({ data: 'open' });
      // On a shared pool this call would queue behind the streams and time out (504) after 1 s.
      const answer = await client.get('/things');
      expect(answer).toMatchObject({ status: 200, body: { served: true } });
    } finally {
      abort.abort();
    }
    await waitUntil(() => open.every((response) => response.destroyed || response.writableEnded || response.socket === null));
  });

  it('answers 502 when the upstream does not answer with an event stream', async () => {
    upstream.answer((_request, response) => json(response, 200, { not: 'a stream' }));
    const response = await t.app.inject({ method: 'GET', url: '/upstream-test/events' });
    expect(response.statusCode).toBe(502);
  });
});

/** An upstream stream relayed through an `@EventStream()` route to a client on a real socket. */
describe('outbound HTTP client: relaying an upstream stream to the client (e2e)', () => {
  const upstream = new UpstreamServer();
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    await upstream.start();
    t = await bootTestApp(
      { UPSTREAM_FAKE_URL: upstream.url, UPSTREAM_FAKE_TIMEOUT_SECONDS: '1', SSE_HEARTBEAT_SECONDS: '0.2' },
      {
        controllers: [UpstreamTestController],
      },
    );
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
    await upstream.stop();
  });

  it('writes the upstream’s events to the client as they come, and closes the upstream when the client hangs up', async () => {
    const counter = { written: 0, closed: false };
    upstream.answer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.on('close', () => (counter.closed = true));
      for (const [id, text] of [
        ['1', 'Hel'],
        ['2', 'lo'],
      ])
        response.write(`id: ${id}\nevent: token\ndata: {"text":"${text}"}\n\n`);
    });
    const stream = await openStream(port, '/upstream-test/relay', { 'x-correlation-id': 'relay-1' });
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    await stream.until((event) => event.id === '2');
    expect(stream.received.filter((event) => event.comment === undefined)).toEqual([
      { id: '1', event: 'token', data: '{"text":"Hel"}' },
      { id: '2', event: 'token', data: '{"text":"lo"}' },
    ]);
    expect(upstream.requests.at(-1)!.headers['x-correlation-id']).toBe('relay-1');
    stream.close();
    await waitUntil(() => counter.closed);
  });

  it('reads the upstream no faster than a client that stops reading: what the upstream could write stays bounded', async () => {
    const counter = { written: 0, closed: false };
    upstream.answer((_request, response) => void writeEvents(response, 50 * MiB, counter));
    const stream = await openStream(port, '/upstream-test/relay');
    stream.response.pause();
    await sleep(1500);
    // The client read nothing more: socket buffers and stream high-water marks hold the rest; without backpressure all 50 MiB would be written.
    expect(counter.written).toBeLessThan(25 * MiB);
    const stalledAt = counter.written;
    await sleep(300);
    expect(counter.written - stalledAt).toBeLessThan(MiB);
    stream.close();
    await waitUntil(() => counter.closed);
  });

  it('answers 502 problem+json, before any event, when the upstream fails to open the stream', async () => {
    upstream.answer((_request, response) => json(response, 500, {}));
    const stream = await openStream(port, '/upstream-test/relay');
    await stream.ended;
    expect(stream.statusCode).toBe(502);
    expect(stream.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stream.text()).not.toMatch(/fake|127\.0\.0\.1/);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
