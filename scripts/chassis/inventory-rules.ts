import { type RouteInventoryEntry, WRITE_METHODS } from '../../src/core/contract/route-inventory';

/** A route allowed to be a public write without `@PublicWrite(reason)` (chassis.json `policy.publicWriteAllowList`). */
export interface PublicWriteAllowance {
  /** `METHOD /template`, e.g. `POST /webhooks/:provider`. */
  route: string;
  why: string;
}

/** One broken policy rule, worded for the author of the route. */
export interface InventoryRuleViolation {
  route: string;
  rule: 'public-write-needs-reason' | 'feature-body-needs-dto';
  message: string;
}

/**
 * The policy rules `npm run chassis:check` applies to the route inventory:
 *
 * - `public-write-needs-reason`: a POST/PUT/PATCH/DELETE route that is public
 *   must say why, with `@PublicWrite(reason)` or an allow-list entry: an
 *   unauthenticated write is a decision, never an accident.
 * - `feature-body-needs-dto`: a feature route that reads a body reads it as a
 *   class with class-validator rules (`@Body() body: CreateXDto`), so the
 *   global ValidationPipe checks it; `@Body() body: any`, an interface, an
 *   array or `@Body('field')` reach the handler unchecked.
 */
export function checkInventoryRules(
  routes: readonly RouteInventoryEntry[],
  allowList: readonly PublicWriteAllowance[] = [],
): InventoryRuleViolation[] {
  const allowed = new Set(allowList.map((entry) => entry.route));
  const violations: InventoryRuleViolation[] = [];
  for (const r of routes) {
    const route = `${r.method} ${r.path}`;
    const where = r.controller ? ` (${r.controller}.${r.handler})` : '';
    if (r.auth === 'public' && WRITE_METHODS.has(r.method) && r.publicWriteReason === null && !allowed.has(route)) {
      violations.push({
        route,
        rule: 'public-write-needs-reason',
        message: `${route}${where} is a public write route: replace @Public() with @PublicWrite('why no token is needed'), or list it in chassis.json policy.publicWriteAllowList with a reason`,
      });
    }
    if (r.feature && r.body !== null && !r.body.validated) {
      const declared = r.body.field === null ? `@Body() of type ${r.body.type}` : `@Body('${r.body.field}')`;
      violations.push({
        route,
        rule: 'feature-body-needs-dto',
        message: `${route}${where} reads its body as ${declared}, which nothing validates: declare it as a DTO class with class-validator decorators`,
      });
    }
  }
  return violations;
}
