import { isEventType } from './domain-event';
import { OnDomainEvent } from './on-domain-event.decorator';

describe('event types', () => {
  it('are dot-separated lower-case words, at least two, at most 200 characters', () => {
    for (const good of ['item.created', 'order.line_added', 'billing.invoice.paid', 'a.b', 'x-y.z-1']) expect(isEventType(good)).toBe(true);
    for (const bad of ['item', 'Item.created', 'item.', '.created', 'item..created', 'item created', '', `a.${'b'.repeat(199)}`]) {
      expect(isEventType(bad)).toBe(false);
    }
  });

  it('are checked when @OnDomainEvent() is applied', () => {
    expect(() => OnDomainEvent('ItemCreated')).toThrow('@OnDomainEvent("ItemCreated")');
    expect(() => OnDomainEvent('item.created')).not.toThrow();
  });
});
