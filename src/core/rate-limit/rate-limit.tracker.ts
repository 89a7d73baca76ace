import type { FastifyRequest } from 'fastify';
import { clientAddress } from './client-address';

/**
 * Whose bucket a request counts against.
 *
 * - `sub:<subject>` when the authentication guard verified a token (it runs
 *   before the rate-limit guard and sets `request.principal`). Only a verified
 *   principal selects a bucket; a token is never decoded here. With tenancy
 *   on, `tenant:<tenant>|sub:<subject>`: one subject in two tenants has two
 *   budgets (a tenant id never contains `|`).
 * - `ip:<address>` otherwise: `request.ip`, which Fastify derives with
 *   TRUST_PROXY (the rightmost untrusted X-Forwarded-For hop), so a client
 *   cannot pick its bucket by sending X-Forwarded-For. IPv6 addresses are
 *   grouped by /64 (one customer's allocation, {@link clientAddress}).
 */
export function rateLimitTracker(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal === undefined) return clientAddressTracker(request);
  return principal.tenant === undefined ? `sub:${principal.subject}` : `tenant:${principal.tenant}|sub:${principal.subject}`;
}

/** `ip:<address>` (IPv6 by /64). */
export function clientAddressTracker(request: FastifyRequest): string {
  return `ip:${clientAddress(request.ip)}`;
}
