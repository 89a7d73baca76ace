import { Histogram, type Registry } from 'prom-client';
import { HTTP_DURATION_BUCKETS } from '../metrics/http-metrics';

/** `status_code` of an attempt that got no answer (connection failed, timed out). */
export const NO_STATUS = 'none';

/**
 * `http_client_request_duration_seconds{upstream,method,status_code}`: one
 * observation per attempt (a retried call counts each try), from sending the
 * request to the last byte read (a stream: to its headers); `status_code` is
 * the upstream's status, or `none` when no answer came. Named after
 * OpenTelemetry's `http.client.request.duration`, in seconds.
 */
export function createHttpClientDuration(registry: Registry): Histogram<'upstream' | 'method' | 'status_code'> {
  return (
    (registry.getSingleMetric('http_client_request_duration_seconds') as Histogram<'upstream' | 'method' | 'status_code'> | undefined) ??
    new Histogram({
      name: 'http_client_request_duration_seconds',
      help: 'Duration of outbound HTTP requests to named upstreams, per attempt, from sending the request to the last byte of the answer.',
      labelNames: ['upstream', 'method', 'status_code'],
      buckets: HTTP_DURATION_BUCKETS,
      registers: [registry],
    })
  );
}
