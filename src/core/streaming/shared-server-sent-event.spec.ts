import { formatServerSentEvent, InvalidServerSentEventError } from './server-sent-event-format';
import { shareServerSentEvent, wireFormOf } from './shared-server-sent-event';

describe('shareServerSentEvent', () => {
  it('builds the wire form once: every stream writes the same bytes, those of formatServerSentEvent', () => {
    const event = shareServerSentEvent({ id: '1-0', event: 'created', data: { id: 'a', name: 'Lamp' } });
    const first = wireFormOf(event);
    expect(first.toString()).toBe(formatServerSentEvent({ id: '1-0', event: 'created', data: { id: 'a', name: 'Lamp' } }));
    expect(wireFormOf(event)).toBe(first);
  });

  it('freezes the event and sends its data as it was when shared', () => {
    const data = { name: 'before' };
    const event = shareServerSentEvent({ id: '1-0', data });
    data.name = 'after';
    expect(Object.isFrozen(event)).toBe(true);
    expect(wireFormOf(event).toString()).toBe('id: 1-0\ndata: {"name":"before"}\n\n');
  });

  it('leaves an event that cannot be written unshared, so writing it still fails', () => {
    const event = shareServerSentEvent({ event: 'bad\nid: forged', data: 1 });
    expect(Object.isFrozen(event)).toBe(false);
    expect(() => wireFormOf(event)).toThrow(InvalidServerSentEventError);
  });

  it('formats an event that was not shared each time it is written', () => {
    const event = { data: 'one' };
    expect(wireFormOf(event).toString()).toBe('data: one\n\n');
    event.data = 'two';
    expect(wireFormOf(event).toString()).toBe('data: two\n\n');
  });
});
