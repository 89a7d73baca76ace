import { randomBytes } from 'node:crypto';
import { AppProcess, http } from '../support/app-process';
import { OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { resetTestDatabase } from '../support/test-database';

jest.setTimeout(60_000);

const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The chain of parents of `span` within `spans`, nearest first. */
function ancestors(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
  const chain: ReceivedSpan[] = [];
  let current: ReceivedSpan | undefined = span;
  while (current?.parentSpanId && chain.length < 50) {
    current = spans.find((candidate) => candidate.spanId === current!.parentSpanId);
    if (current) chain.push(current);
  }
  return chain;
}

describe('tracing (real process, PostgreSQL, OTLP/HTTP)', () => {
  const receiver = new OtlpReceiver();
  let app: AppProcess;
  const traceId = randomBytes(16).toString('hex');
  const parentSpanId = randomBytes(8).toString('hex');

  beforeAll(async () => {
    await resetTestDatabase(databaseUrl);
    await receiver.start();
    app = await AppProcess.start(
      {
        DATABASE_URL: databaseUrl,
        OTEL_SDK_DISABLED: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        // Batches would wait a minute: only the flush at shutdown can deliver the spans.
        OTEL_BSP_SCHEDULE_DELAY: '60000',
        SHUTDOWN_DELAY_SECONDS: '0',
      },
      { instrumented: true },
    );
    const listed = await http(app.port, '/items?limit=3', {
      headers: { ...app.authHeader({ scope: 'items:read' }), traceparent: `00-${traceId}-${parentSpanId}-01` },
    });
    expect(listed.status).toBe(200);
    expect((await http(app.port, '/health/ready')).status).toBe(200);
    expect((await http(app.port, '/metrics')).status).toBe(200);
    app.signal('SIGTERM');
    expect(await app.exited).toBe(0);
  });
  afterAll(async () => {
    await app?.kill();
    await receiver.stop();
  });

  it('exports the server span as a child of the inbound traceparent, flushed at shutdown', () => {
    const server = receiver.spans.find((span) => span.kind === 2 && span.scope === '@opentelemetry/instrumentation-http');
    expect(server).toMatchObject({ traceId, parentSpanId, attributes: expect.objectContaining({ 'http.route': '/items' }) });
  });

  it('exports the PostgreSQL query span in the same trace, under the server span', () => {
    const server = receiver.spans.find((span) => span.kind === 2 && span.traceId === traceId)!;
    const queries = receiver.spans.filter(
      (span) => span.scope === '@opentelemetry/instrumentation-pg' && span.kind === 3 && span.traceId === traceId,
    );
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(ancestors(query, receiver.spans).map((span) => span.spanId)).toContain(server.spanId);
  });

  it('traces neither health probes nor metrics scrapes', () => {
    const paths = receiver.spans.map((span) =>
      String(span.attributes['url.path'] ?? span.attributes['http.target'] ?? span.attributes['http.route'] ?? ''),
    );
    expect(paths.some((path) => path.startsWith('/items'))).toBe(true);
    expect(paths.filter((path) => path.startsWith('/health') || path.startsWith('/metrics'))).toEqual([]);
  });

  it('writes the trace id of the request into its access-log line', () => {
    const access = app.withMessage('request completed').find((line) => line.route === '/items');
    expect(access).toMatchObject({ trace_id: traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });
});
