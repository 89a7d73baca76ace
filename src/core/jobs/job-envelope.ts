import { context, propagation } from '@opentelemetry/api';
import { currentRequestContext } from '../context/request-context';

/**
 * Where a job came from, stored next to its payload (never inside it): the
 * enqueuing request's ids and W3C trace context, restored while it runs.
 */
export interface JobOrigin {
  /** The enqueuing request's `X-Request-ID`; absent outside a request (a schedule, boot). */
  requestId?: string;
  /** The enqueuing request's correlation id. */
  correlationId?: string;
  /** W3C `traceparent` of the span active when the job was added (absent with tracing off). */
  traceparent?: string;
  /** W3C `tracestate`, when there was one. */
  tracestate?: string;
  /**
   * The enqueuing request's tenant (tenancy on, docs/tenancy.md): while the
   * job runs it is the current tenant again (`tenant_id` on log lines,
   * tenant-scoped queries, span attribute `tenant.id`).
   */
  tenantId?: string;
  /** The enqueuing request's authenticated subject (`sub`), for the job to know on whose behalf it runs. */
  subject?: string;
}

/** A job's data as stored by either engine. */
export interface JobEnvelope {
  /** The feature's payload, plain JSON. */
  payload: Record<string, unknown>;
  /** Where the job came from. */
  origin: JobOrigin;
}

/** The origin of a job added now: the current request's ids, tenant and subject, and the active trace context. */
export function currentOrigin(): JobOrigin {
  const request = currentRequestContext();
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const origin: JobOrigin = {};
  if (request) {
    origin.requestId = request.requestId;
    origin.correlationId = request.correlationId;
    if (request.tenantId !== undefined) origin.tenantId = request.tenantId;
    if (request.subject !== undefined) origin.subject = request.subject;
  }
  if (carrier.traceparent) origin.traceparent = carrier.traceparent;
  if (carrier.tracestate) origin.tracestate = carrier.tracestate;
  return origin;
}

/** Reads an envelope from stored data, tolerating a missing origin. */
export function envelopeOf(data: unknown): JobEnvelope {
  const value = (data ?? {}) as Partial<JobEnvelope>;
  return { payload: value.payload ?? {}, origin: value.origin ?? {} };
}
