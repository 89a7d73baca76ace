import type { Logger } from 'pino';
import { currentRequestContext } from '../context/request-context';
import { isRequestBound } from './request-bound';
import { NO_TRACE, traceFields } from './trace-context';

/**
 * The root logger's pino `mixin`: the fields every line gets from where it is
 * logged, without anything passed by the caller.
 *
 * - `requestId` and `correlationId` of the request being served (from the
 *   request context, `AsyncLocalStorage`), unless the logger is already bound
 *   to them (`request.log`, see `markRequestBound`) or the line names its own
 *   `requestId` (the access log). nestjs-pino's request scope logs through the
 *   root logger, so feature logs get the ids here, with no per-request child.
 * - `tenant_id` of the request, once it is authenticated with tenancy on
 *   (docs/tenancy.md), on every line of the request, bound loggers included,
 *   unless the line names its own `tenant_id` (the access log).
 * - `trace_id` and `span_id` of the active OpenTelemetry span.
 *
 * Returns {@link NO_TRACE} (shared, frozen) when there is nothing to add, which
 * {@link mergeMixin} recognizes to skip the merge.
 */
export function logMixin(mergeObject: object, _level: number, logger: Logger): object {
  const trace = traceFields();
  const context = currentRequestContext();
  if (context === undefined) return trace;
  const tenant = context.tenantId;
  if (isRequestBound(logger) || 'requestId' in mergeObject) {
    // A line that names its own tenant_id (the access log) keeps it anyway: nothing to add, so no copy of the line.
    return tenant === undefined || 'tenant_id' in mergeObject ? trace : { tenant_id: tenant, ...trace };
  }
  const ids =
    tenant === undefined
      ? { requestId: context.requestId, correlationId: context.correlationId }
      : { requestId: context.requestId, correlationId: context.correlationId, tenant_id: tenant };
  return trace === NO_TRACE ? ids : Object.assign(ids, trace);
}

/**
 * pino's `mixinMergeStrategy`: pino's default (`Object.assign(mixin, merge)`,
 * the caller's fields winning), except that nothing is copied when the mixin
 * has nothing to add; the line is then exactly what pino writes without a mixin.
 */
export function mergeMixin(mergeObject: object, mixinObject: object): object {
  return mixinObject === NO_TRACE ? mergeObject : Object.assign(mixinObject, mergeObject);
}
