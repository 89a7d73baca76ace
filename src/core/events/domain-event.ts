/** A domain event as a handler receives it (docs/jobs.md#domain-events-and-the-outbox). */
export interface DomainEvent<P extends object = Record<string, unknown>> {
  /** The event's id (a UUID), the same on every delivery: the key of the handlers' inbox. */
  readonly id: string;
  /** Its type, e.g. `item.created`. */
  readonly type: string;
  /** The payload the publisher gave, as JSON read back (dates are strings). */
  readonly payload: P;
  /** The publishing request's tenant; undefined outside a tenant (the handler's tenant-scoped queries use it). */
  readonly tenantId?: string;
  /** When it was published (ISO 8601, the publisher's clock). */
  readonly occurredAt: string;
}

const EVENT_TYPE = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;

/**
 * True when `type` is a well-formed event type: lower-case words joined by
 * dots, at least two (`<aggregate>.<what happened>`, e.g. `item.created`), at most 200 characters.
 */
export function isEventType(type: string): boolean {
  return type.length <= 200 && EVENT_TYPE.test(type);
}
