import type { RequestContext } from '../context/request-context';
import type { JobOrigin } from './job-envelope';

/**
 * The request context a job attempt runs in when its origin has a tenant or
 * a subject: the enqueuing request's tenant and subject are current again
 * (tenant-scoped queries, row-level security, `tenant_id` on log lines), and
 * the context's signal is the attempt's. Without either, a job runs outside
 * any request context, as before.
 *
 * @param jobId stands in for the request id when the origin has none (a job added outside a request).
 */
export function jobRequestContext(origin: JobOrigin, jobId: string, signal: AbortSignal): RequestContext | undefined {
  if (origin.tenantId === undefined && origin.subject === undefined) return undefined;
  const requestId = origin.requestId ?? jobId;
  return {
    requestId,
    correlationId: origin.correlationId ?? requestId,
    signal,
    tenantId: origin.tenantId,
    subject: origin.subject,
  };
}
