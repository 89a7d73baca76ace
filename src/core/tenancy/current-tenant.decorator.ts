import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * Hands the handler the tenant the request acts in (`principal.tenant`,
 * docs/tenancy.md): always a well-formed tenant id on an authenticated route
 * with tenancy on (`TENANT_CLAIM`); undefined with tenancy off and on a `@Public()` route.
 *
 * Features rarely need it: tenant-scoped entities (`@TenantScoped()`) are
 * stamped and filtered by the chassis. It is for what the chassis does not
 * scope, such as a call to another service on the tenant's behalf.
 *
 * @example `list(@CurrentTenant() tenant: string | undefined)`
 */
export const CurrentTenant = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined => context.switchToHttp().getRequest<FastifyRequest>().principal?.tenant,
);
