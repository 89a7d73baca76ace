import { SetMetadata } from '@nestjs/common';

/** Metadata key read by the authentication guard. */
export const REQUIRED_ROLES_KEY = 'chassis:requiredRoles';

/**
 * Requires roles, read from the claim named by `AUTH_ROLES_CLAIM` (default
 * `roles`; e.g. `realm_access.roles` for Keycloak). Every listed role is
 * required; on a controller and a handler the lists add up. A caller
 * without them gets a 403 problem naming the missing ones (`missingRoles`).
 *
 * @example `@Roles('admin')`
 */
export const Roles = (...roles: string[]): ClassDecorator & MethodDecorator => SetMetadata(REQUIRED_ROLES_KEY, roles);
