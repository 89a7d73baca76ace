import { resolveCorrelationId } from './correlation-id';

describe('resolveCorrelationId', () => {
  it.each(['abc', '0b5c2a1e-8f2d-4c55-9a56-0e5b2f7f1c3d', 'order-42.retry:1', 'a'.repeat(128)])('keeps %s', (inbound) => {
    expect(resolveCorrelationId(inbound, 'req-1')).toBe(inbound);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['too long', 'a'.repeat(129)],
    ['a space', 'a b'],
    ['a newline', 'a\n{"level":60}'],
    ['repeated', ['a', 'b']],
  ])('falls back to the request id when %s', (_, inbound) => {
    expect(resolveCorrelationId(inbound, 'req-1')).toBe('req-1');
  });
});
