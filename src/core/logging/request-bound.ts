import type { Logger } from 'pino';

/**
 * Marks a logger whose bindings already carry the request's `requestId` and
 * `correlationId`, so the root logger's mixin (`logMixin`) does not add
 * them a second time. pino's `child()` creates children with
 * `Object.create(parent)`, so the children of a marked logger are marked too.
 */
const REQUEST_BOUND = Symbol('chassis.requestBoundLogger');

type Marked = Logger & { [REQUEST_BOUND]?: true };

/** Marks `logger` (see above) and returns it. */
export function markRequestBound<T extends Logger>(logger: T): T {
  (logger as Marked)[REQUEST_BOUND] = true;
  return logger;
}

/** True when `logger` (or a parent it was created from) is bound to a request's ids. */
export function isRequestBound(logger: Logger): boolean {
  return (logger as Marked)[REQUEST_BOUND] === true;
}
