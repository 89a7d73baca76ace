import { randomUUID } from 'node:crypto';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JobsTestModule, runsOf } from '../support/jobs/jobs-test.module';
import { waitFor } from '../support/redis-server';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * The job's span is a child of the span that added the job, through the
 * W3C trace context stored in the job's envelope. The OpenTelemetry API is
 * given a real SDK tracer provider and propagator here (what
 * src/core/tracing starts in production), exporting to memory.
 */
describe('job spans (e2e, in-process engine)', () => {
  const exporter = new InMemorySpanExporter();
  let t: TestApp;

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
    t = await bootTestApp({}, { after: [JobsTestModule] });
  });
  afterAll(async () => {
    await t?.close();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('runs each attempt in a consumer span whose parent is the span that added the job', async () => {
    const name = `traced-${randomUUID().slice(0, 8)}`;
    const response = await t.app.inject({ method: 'POST', url: '/jobs-test/probe-traced', payload: { label: name, failTimes: 1 } });
    expect(response.statusCode).toBe(201);
    const { id, traceId, spanId } = response.json<{ id: string; traceId: string; spanId: string }>();
    await waitFor('the second attempt to complete', () => runsOf(name).some((run) => run.outcome === 'completed'), 200);
    await waitFor('both job spans', () => exporter.getFinishedSpans().filter((span) => span.name === 'job probe').length >= 2);

    const jobSpans = exporter
      .getFinishedSpans()
      .filter((span) => span.name === 'job probe' && span.attributes['messaging.message.id'] === id);
    expect(jobSpans).toHaveLength(2);
    for (const span of jobSpans) {
      expect(span.spanContext().traceId).toBe(traceId);
      expect(span.parentSpanContext?.spanId).toBe(spanId);
      expect(span.kind).toBe(4); // CONSUMER
    }
    expect(jobSpans.map((span) => span.status.code)).toEqual(expect.arrayContaining([2, 0])); // ERROR (first attempt), UNSET

    const lines = t.logs.lines.filter((line) => line.jobId === id && line.msg === 'probe job running');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.trace_id).toBe(traceId);
  });
});
