import { currentRequestContext } from '../../context/request-context';
import { TenantScopeError } from '../../tenancy/tenant-scope.error';
import { isTenantId } from '../../tenancy/tenant-id';

/** Longest topic name accepted, in characters. */
export const MAX_TOPIC_LENGTH = 512;

/**
 * The hub's key of a topic: the feature's name for it, under the tenant
 * when tenancy is on, so two tenants never share a topic even when their
 * names (an owner's subject) coincide. Tenant ids have no `/`
 * (`TENANT_ID_PATTERN`), so `tenant/<id>/<topic>` cannot be forged by a topic name.
 *
 * @param tenant the tenant outside a request (a job, an outbox relay); inside one, the request's tenant is used and another is refused.
 * @throws TypeError for an empty or overlong topic, or one with a line break (a bug in the calling code).
 * @throws TenantScopeError with tenancy on and no tenant (neither the request's nor `tenant`).
 */
export function topicKey(topic: string, tenancyEnabled: boolean, tenant?: string): string {
  if (topic.length === 0 || topic.length > MAX_TOPIC_LENGTH || /[\r\n]/.test(topic)) {
    throw new TypeError(`an event hub topic is 1-${MAX_TOPIC_LENGTH} characters without line breaks`);
  }
  if (!tenancyEnabled) return `topic/${topic}`;
  const requestTenant = currentRequestContext()?.tenantId;
  if (requestTenant !== undefined && tenant !== undefined && tenant !== requestTenant) {
    throw new TenantScopeError(`event hub topic "${topic}" named tenant ${tenant} inside a request of tenant ${requestTenant}`);
  }
  const scoped = requestTenant ?? tenant;
  if (!isTenantId(scoped)) throw new TenantScopeError(`event hub topic "${topic}" used without a tenant while tenancy is on`);
  return `tenant/${scoped}/${topic}`;
}
