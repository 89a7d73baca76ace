import { isSpanContextValid, trace, type Span } from '@opentelemetry/api';

/** The OpenTelemetry log fields (`trace_id`, `span_id`), as in the OpenTelemetry log data model. */
export interface TraceFields {
  trace_id?: string;
  span_id?: string;
}

/** No trace fields: one shared, frozen empty object (a log line's mixin returns it without allocating). */
export const NO_TRACE: TraceFields = Object.freeze({});

/**
 * The ids of `span` (default: the active span), or {@link NO_TRACE} when there is none:
 * with tracing off the OpenTelemetry API is a no-op and no span is ever active.
 */
export function traceFields(span: Span | undefined = trace.getActiveSpan()): TraceFields {
  const context = span?.spanContext();
  if (!context || !isSpanContextValid(context)) return NO_TRACE;
  return { trace_id: context.traceId, span_id: context.spanId };
}
