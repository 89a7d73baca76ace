import { z } from 'zod';
import type { SliceOf } from '../config/settings-block';

/**
 * Multi-tenancy (docs/tenancy.md), `config.tenancy`. Off unless
 * `TENANT_CLAIM` is set; off, requests, keys, logs and queries are exactly
 * what they are in a single-tenant service.
 */
export const tenancySettings = z
  .object({
    /** Claim holding the tenant id: a top-level name or a dot path (like AUTH_ROLES_CLAIM); unset: tenancy off. */
    TENANT_CLAIM: z.string().trim().min(1).optional(),
    /** Scope that lets a token name the tenant in TENANT_HEADER (machine-to-machine callers); unset: the header is never read. */
    TENANT_HEADER_SCOPE: z.string().trim().min(1).optional(),
    /** Header a token holding TENANT_HEADER_SCOPE names the tenant in. */
    TENANT_HEADER: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,64}$/, { message: 'must be a header name (letters, digits, -)' })
      .default('X-Tenant-Id'),
  })
  .transform((env) => ({
    /** True when TENANT_CLAIM is set. */
    enabled: env.TENANT_CLAIM !== undefined,
    claim: env.TENANT_CLAIM,
    headerScope: env.TENANT_HEADER_SCOPE,
    /** Lower case, as Node names request headers. */
    header: env.TENANT_HEADER.toLowerCase(),
  }));

declare module '../config/app-config' {
  interface AppConfig {
    tenancy: SliceOf<typeof tenancySettings>;
  }
}
