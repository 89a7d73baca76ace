import type { JwtPayload } from 'jsonwebtoken';
import { InvalidTokenError } from './auth.errors';
import type { Principal } from './principal';
import { isTenantId } from '../tenancy/tenant-id';

/** What {@link buildPrincipal} needs from the configuration. */
export interface PrincipalOptions {
  /** Top-level claim name or dot path of the roles (e.g. `realm_access.roles`). */
  rolesClaim: string;
  /** Claim name or dot path of the tenant (`TENANT_CLAIM`); undefined: tenancy off, no `tenant` on the principal. */
  tenantClaim?: string;
  clockToleranceSeconds: number;
  /** The current time, in seconds since the epoch. */
  nowSeconds: number;
}

/**
 * Turns a verified payload (signature, `iss`, `aud`, `exp`, `nbf` already
 * checked by jsonwebtoken) into a frozen {@link Principal}, with the checks
 * jsonwebtoken leaves optional made mandatory:
 * - `sub` must be a non-empty string (RFC 7519 section 4.1.2): it is the owner id;
 * - `exp` must be present (jsonwebtoken accepts a token without one, which never expires);
 * - `iat`, when present, must not lie in the future (beyond the clock tolerance).
 *
 * With a tenant claim configured, `tenant` is the claim's value when it is a
 * well-formed tenant id (`isTenantId`), else undefined: the guard refuses
 * such a token unless it may name its tenant in a header.
 *
 * @throws InvalidTokenError naming the failed check.
 */
export function buildPrincipal(payload: JwtPayload, options: PrincipalOptions): Principal {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new InvalidTokenError('missing sub claim');
  if (typeof payload.exp !== 'number') throw new InvalidTokenError('missing exp claim');
  if (payload.iat !== undefined && (typeof payload.iat !== 'number' || payload.iat > options.nowSeconds + options.clockToleranceSeconds)) {
    throw new InvalidTokenError('iat in the future');
  }
  const tenant = options.tenantClaim === undefined ? undefined : claimAt(payload, options.tenantClaim);
  return Object.freeze({
    subject: payload.sub,
    issuer: typeof payload.iss === 'string' ? payload.iss : '',
    audience: Object.freeze(stringList(payload.aud)) as string[],
    scopes: Object.freeze(scopesOf(payload)) as string[],
    roles: Object.freeze(stringList(claimAt(payload, options.rolesClaim))) as string[],
    ...(isTenantId(tenant) ? { tenant } : {}),
    claims: Object.freeze({ ...payload }),
  });
}

/** `scope` (RFC 8693 section 4.2: space-separated) and `scp` (array or string; Entra ID, Okta), merged. */
function scopesOf(payload: JwtPayload): string[] {
  const scopes = [...spaceSeparated(payload.scope), ...spaceSeparated(payload.scp)];
  return [...new Set(scopes)];
}

function spaceSeparated(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((scope) => scope.length > 0);
  return Array.isArray(value) ? value.filter((scope): scope is string => typeof scope === 'string') : [];
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * The claim `path` names: a top-level claim of that exact name first (Auth0's
 * namespaced claims are URLs with dots, Cognito's `cognito:groups`), else
 * the dot path (`realm_access.roles`).
 */
function claimAt(payload: JwtPayload, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
