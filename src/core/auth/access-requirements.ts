import type { ExecutionContext, Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from '../access/public.decorator';
import { REQUIRED_ROLES_KEY } from './roles.decorator';
import { REQUIRED_SCOPES_KEY } from './scopes.decorator';

/** What a route demands: nothing (`@Public()`), or a valid token with these scopes and roles. */
export interface AccessRequirements {
  isPublic: boolean;
  scopes: readonly string[];
  roles: readonly string[];
}

/**
 * Reads `@Public()`, `@Scopes()` and `@Roles()` of a route (handler and
 * controller, lists merged) once per route and remembers the answer:
 * metadata never changes after boot, and the guard runs on every request.
 */
export class AccessRequirementsReader {
  private readonly byClass = new WeakMap<Type, WeakMap<object, AccessRequirements>>();

  constructor(private readonly reflector: Reflector) {}

  of(context: ExecutionContext): AccessRequirements {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.byClass.get(controller);
    if (!byHandler) this.byClass.set(controller, (byHandler = new WeakMap()));
    let requirements = byHandler.get(handler);
    if (!requirements) byHandler.set(handler, (requirements = readAccessRequirements(this.reflector, handler, controller)));
    return requirements;
  }
}

/**
 * Reads `@Public()`, `@Scopes()` and `@Roles()` of one route: the handler's
 * `@Public()` overrides the controller's, scope and role lists add up
 * (duplicates dropped). The one reading of these decorators: the guard and
 * the route inventory both call it.
 */
export function readAccessRequirements(reflector: Reflector, handler: object, controller: Type): AccessRequirements {
  const targets = [handler as () => unknown, controller];
  return {
    isPublic: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true,
    scopes: [...new Set(reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_KEY, targets))],
    roles: [...new Set(reflector.getAllAndMerge<string[]>(REQUIRED_ROLES_KEY, targets))],
  };
}
