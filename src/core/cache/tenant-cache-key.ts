import { currentRequestContext } from '../context/request-context';

/**
 * The key {@link AppCache} stores `key` under: `tenant:<tenant>|<key>` inside
 * a request with a tenant (tenancy on, docs/tenancy.md), else `key` unchanged
 * (tenancy off, public routes, jobs). A tenant id never contains `|`, so two
 * tenants' keys never collide, whatever keys the feature picks.
 */
export function tenantCacheKey(key: string): string {
  const tenant = currentRequestContext()?.tenantId;
  return tenant === undefined ? key : `tenant:${tenant}|${key}`;
}
