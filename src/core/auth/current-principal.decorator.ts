import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from './principal';

/**
 * Hands the handler the authenticated {@link Principal} (`request.principal`,
 * set by the authentication guard). Undefined on a `@Public()` route.
 *
 * @example `list(@CurrentPrincipal() principal: Principal)`
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined => context.switchToHttp().getRequest<FastifyRequest>().principal,
);
