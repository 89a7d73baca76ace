import type { HealthCheckRegistry } from '../health/health-check.registry';
import type { UpstreamClients } from './upstream-clients';

/**
 * Adds a readiness check per upstream whose `UPSTREAM_<NAME>_READINESS` is
 * not `none`, named `upstream:<name>`: one `GET` of `_READINESS_PATH`
 * (no retry), through the circuit breaker, so an open circuit reports the
 * upstream down. Up when the upstream answers below 500 (but 429);
 * `critical` makes the service not ready (503) while it is down,
 * `non-critical` reports `degraded` (still 200).
 */
export function addUpstreamReadinessChecks(health: HealthCheckRegistry, clients: UpstreamClients): void {
  for (const name of clients.names()) {
    const client = clients.get(name);
    const { readiness, readinessPath } = client.settings;
    if (readiness === 'none') continue;
    health.addReadinessCheck({
      name: `upstream:${name}`,
      critical: readiness === 'critical',
      check: async () => {
        await client.probe(readinessPath);
      },
    });
  }
}
