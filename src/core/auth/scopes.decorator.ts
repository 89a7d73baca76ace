import { SetMetadata } from '@nestjs/common';

/** Metadata key read by the authentication guard. */
export const REQUIRED_SCOPES_KEY = 'chassis:requiredScopes';

/**
 * Requires OAuth 2.0 scopes (RFC 6749 section 3.3), read from the token's
 * `scope` (space-separated string) or `scp` (array or string) claim. Every
 * listed scope is required; on a controller and a handler the lists add up.
 * A caller without them gets a 403 problem naming the missing ones
 * (`missingScopes`) and `WWW-Authenticate: Bearer error="insufficient_scope"`
 * (RFC 6750 section 3.1).
 *
 * @example `@Scopes('items:write')`
 */
export const Scopes = (...scopes: string[]): ClassDecorator & MethodDecorator => SetMetadata(REQUIRED_SCOPES_KEY, scopes);
