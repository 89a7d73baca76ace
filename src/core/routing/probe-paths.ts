/** The path of the health controller, under which the Kubernetes probes live (`/live`, `/ready`, `/startup`; see `docs/health-checks.md`). */
export const HEALTH_PATH = '/health';

/**
 * True for health-probe and metrics-scrape requests: machine traffic that is
 * not access-logged (unless `LOG_PROBE_REQUESTS=true`) and not traced, so a
 * kubelet probing every few seconds does not drown the real requests.
 *
 * @param url the request URL (path and query)
 * @param metricsPath `METRICS_PATH`
 */
export function isProbePath(url: string, metricsPath: string): boolean {
  const path = url.split('?', 1)[0];
  return path === metricsPath || path === HEALTH_PATH || path.startsWith(`${HEALTH_PATH}/`);
}
