import { isEventType } from './domain-event';

/** Metadata key of {@link OnDomainEvent}: the event types a method handles. */
export const DOMAIN_EVENT_HANDLER = Symbol('chassis.domainEventHandler');

/**
 * Makes a provider's method a handler of a domain event type
 * (docs/jobs.md#domain-events-and-the-outbox). It runs as a job of the
 * chassis's events queue, with the queue defaults' retries, in the tenant of
 * the request that published the event, and is called as
 * `method(event: DomainEvent<P>, manager: EntityManager)`:
 *
 * - `manager` is a transaction that also records the event as processed by
 *   this handler (`processed_events`): write the handler's effects through it
 *   and they commit together, so the handler's effects happen once per event
 *   id even when the event is delivered twice;
 * - throwing rolls back both and the delivery is retried.
 *
 * The handler's name (`<Class>.<method>`) keys the inbox: renaming it makes
 * events still in retention look new to it. Runs only in processes that run
 * workers (`PROCESS_ROLE` `all` or `worker`).
 *
 * @throws Error at class definition when `type` is not a well-formed event type (`isEventType`).
 * @example
 * ```ts
 * @OnDomainEvent('order.paid')
 * async sendReceipt(event: DomainEvent<OrderPaid>, manager: EntityManager) { ... }
 * ```
 */
export function OnDomainEvent(type: string): MethodDecorator {
  if (!isEventType(type))
    throw new Error(`@OnDomainEvent("${type}"): an event type is dot-separated lower-case words, e.g. "item.created"`);
  return (target, property) => {
    const types = (Reflect.getMetadata(DOMAIN_EVENT_HANDLER, target, property) as string[] | undefined) ?? [];
    Reflect.defineMetadata(DOMAIN_EVENT_HANDLER, [...types, type], target, property);
  };
}
